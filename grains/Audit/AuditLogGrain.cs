using FanForge.GrainInterfaces.Audit;

namespace FanForge.Grains.Audit;

/// <summary>The audit trail of a development cluster, for <see cref="GrainAuditTrail"/> (one grain, key <see cref="Key"/>).</summary>
[Alias("ff.IAuditLog")]
public interface IAuditLog : IGrainWithStringKey
{
    public const string Key = "cluster";

    [Alias("Append")]
    Task<AuditEntry> AppendAsync(AuditRecord record);

    [Alias("Query"), Orleans.Concurrency.ReadOnly]
    Task<AuditPage> QueryAsync(AuditQuery query);
}

[GenerateSerializer, Alias("ff.AuditLogState")]
public sealed class AuditLogState
{
    /// <summary>In append order; the oldest are dropped beyond <see cref="AuditLogGrain.MaxEntries"/>.</summary>
    [Id(0)] public List<AuditEntry> Entries { get; set; } = [];

    [Id(1)] public long LastId { get; set; }
}

/// <summary>
/// Every entry in one grain's state: a development cluster keeps its grain state in memory anyway, and one writer
/// makes the key check and the id order trivially right. Bounded, since nothing else ever removes an entry here.
/// </summary>
[GrainType("ff.audit-log")]
public sealed class AuditLogGrain(
    [PersistentState("audit-log", StorageNames.Default)] IPersistentState<AuditLogState> state) : Grain, IAuditLog
{
    internal const int MaxEntries = 10_000;

    private Dictionary<string, AuditEntry>? byKey;

    public async Task<AuditEntry> AppendAsync(AuditRecord record)
    {
        byKey ??= state.State.Entries.ToDictionary(e => e.Record.Key, StringComparer.Ordinal);
        if (byKey.TryGetValue(record.Key, out var first))
        {
            return first;
        }

        var entry = new AuditEntry(state.State.LastId + 1, record);
        state.State.LastId = entry.Id;
        state.State.Entries.Add(entry);
        if (state.State.Entries.Count > MaxEntries)
        {
            byKey.Remove(state.State.Entries[0].Record.Key);
            state.State.Entries.RemoveAt(0);
        }

        await state.WriteStateAsync();
        byKey[record.Key] = entry;
        return entry;
    }

    public Task<AuditPage> QueryAsync(AuditQuery query)
    {
        var matching = state.State.Entries
            .Where(e => query.Wallet is null || e.Record.Actor == query.Wallet || e.Record.Wallet == query.Wallet)
            .Where(e => query.Kind is null || e.Record.Kind == query.Kind)
            .Where(e => query.From is not { } from || e.Record.At >= from)
            .Where(e => query.To is not { } to || e.Record.At < to)
            .Where(e => query.After is not { } after || e.Record.At < after.At || (e.Record.At == after.At && e.Id < after.Id))
            .OrderByDescending(e => e.Record.At).ThenByDescending(e => e.Id)
            .Take(query.Limit + 1)
            .ToList();
        return Task.FromResult(AuditPages.Of(matching, query.Limit));
    }
}

/// <summary>The trail as a grain: for clusters without PostgreSQL (development, in-memory tests).</summary>
public sealed class GrainAuditTrail(IGrainFactory grains) : IAuditTrail
{
    public Task<AuditEntry> AppendAsync(AuditRecord record) => grains.GetGrain<IAuditLog>(IAuditLog.Key).AppendAsync(record);

    public Task<AuditPage> QueryAsync(AuditQuery query) => grains.GetGrain<IAuditLog>(IAuditLog.Key).QueryAsync(query);
}

/// <summary>Paging shared by the trail's stores.</summary>
public static class AuditPages
{
    /// <summary>
    /// A page from up to <paramref name="limit"/> + 1 entries in newest-first order: the extra one only tells that more
    /// follow, so the cursor is never handed out for a page after which nothing comes.
    /// </summary>
    public static AuditPage Of(IReadOnlyList<AuditEntry> newestFirst, int limit)
    {
        var page = newestFirst.Take(limit).ToList();
        return new AuditPage(page, newestFirst.Count > limit ? new AuditCursor(page[^1].Record.At, page[^1].Id) : null);
    }
}
