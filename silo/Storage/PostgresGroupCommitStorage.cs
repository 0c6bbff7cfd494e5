using System.Globalization;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Orleans.Configuration;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace FanForge.Silo.Storage;

/// <summary>
/// Grain storage on the <c>OrleansStorage</c> table of Orleans' ADO.NET provider that commits the writes of many
/// grains together: one round trip, one transaction and one WAL flush per batch instead of per write.
/// </summary>
/// <remarks>
/// <para>
/// Why: with one transaction per write, throughput is bounded by commit latency times pool size, and the pool
/// saturates long before PostgreSQL does. Here a single committer loop takes everything queued so far (up to
/// <see cref="GroupCommitStorageOptions.MaxBatchSize"/>) and sends it as one <see cref="NpgsqlBatch"/>; writes
/// arriving meanwhile form the next batch. A lone write is sent at once and waits for nobody.
/// </para>
/// <para>
/// Optimistic concurrency stays per grain: every statement is conditional on the row's version and returns the new
/// version, so a stale ETag changes nothing and returns no row; only that grain gets an
/// <see cref="InconsistentStateException"/>, while the batch still commits the others. A write is acknowledged only
/// after the batch's transaction committed; if it fails, every write in it fails with that exception.
/// </para>
/// <para>
/// Rows, keys, payloads and versions are exactly those of the stock ADO.NET provider (see
/// <see cref="AdoNetStorageKey"/>), so the two read each other's data and can be swapped in either direction.
/// Clearing keeps the row (payload NULL, version bumped), as the stock provider does with its default
/// <c>DeleteStateOnClear = false</c>.
/// </para>
/// </remarks>
public sealed partial class PostgresGroupCommitStorage : IGrainStorage, IAsyncDisposable, IDisposable
{
    // Column lengths of OrleansStorage (deploy/sql/0003): a longer value would fail the whole batch at the server,
    // so it is refused up front and fails only its own write.
    private const int MaxGrainTypeLength = 512;
    private const int MaxExtensionLength = 512;

    private const string KeyPredicate = """
        grainidhash = $1 AND graintypehash = $4 AND grainidn0 = $2 AND grainidn1 = $3 AND graintypestring = $5
          AND grainidextensionstring IS NOT DISTINCT FROM $6 AND serviceid = $7
        """;

    // $8 = expected version, $9 = payload. No row back = the version did not match (or the row is gone).
    private const string UpdateSql = $"""
        UPDATE orleansstorage
           SET payloadbinary = $9, modifiedon = (now() AT TIME ZONE 'utc'), version = version + 1
         WHERE {KeyPredicate} AND version = $8
        RETURNING version
        """;

    // First write of a grain (no ETag): insert-only. The table has no unique key (upstream design), so the guard is
    // NOT EXISTS, the same check the stock provider's writetostorage function makes. $8 = payload.
    private const string InsertSql = $"""
        INSERT INTO orleansstorage
            (grainidhash, grainidn0, grainidn1, graintypehash, graintypestring, grainidextensionstring, serviceid,
             payloadbinary, modifiedon, version)
        SELECT $1, $2, $3, $4, $5, $6, $7, $8, (now() AT TIME ZONE 'utc'), 1
         WHERE NOT EXISTS (SELECT 1 FROM orleansstorage WHERE {KeyPredicate})
        RETURNING version
        """;

    // The stock ClearStorageKey: keep the row, drop the payload, bump the version. $8 = expected version.
    private const string ClearSql = $"""
        UPDATE orleansstorage
           SET payloadbinary = NULL, modifiedon = (now() AT TIME ZONE 'utc'), version = version + 1
         WHERE {KeyPredicate} AND version = $8
        RETURNING version
        """;

    private const string ReadSql = $"""
        SELECT payloadbinary, version FROM orleansstorage WHERE {KeyPredicate}
        """;

    private readonly string name;
    private readonly string serviceId;
    private readonly int maxBatchSize;
    private readonly NpgsqlDataSource dataSource;
    private readonly IGrainStorageSerializer serializer;
    private readonly IActivatorProvider activators;
    private readonly ILogger logger;
    private readonly Channel<PendingWrite> queue;
    private readonly Task committer;
    private readonly Channel<PendingRead> reads;
    private readonly Task[] readers;
    private long committedBatches;
    private long committedWrites;
    private long readBatches;

    public PostgresGroupCommitStorage(
        string name,
        IOptions<ClusterOptions> clusterOptions,
        IOptionsMonitor<GroupCommitStorageOptions> options,
        IGrainStorageSerializer serializer,
        IActivatorProvider activators,
        ILogger<PostgresGroupCommitStorage> logger)
    {
        var settings = options.Get(name);
        if (string.IsNullOrWhiteSpace(settings.ConnectionString))
        {
            throw new InvalidOperationException($"Group-commit grain storage '{name}' has no connection string.");
        }

        this.name = name;
        serviceId = clusterOptions.Value.ServiceId;
        maxBatchSize = settings.MaxBatchSize;
        this.serializer = serializer;
        this.activators = activators;
        this.logger = logger;

        // Its own pool, with automatic preparation: the same four statements run millions of times, and preparing
        // them saves the server a parse and plan per statement. Kept apart from the shared data source so these
        // settings do not leak into unrelated queries.
        var builder = new NpgsqlDataSourceBuilder(settings.ConnectionString);
        builder.ConnectionStringBuilder.MaxAutoPrepare = Math.Max(builder.ConnectionStringBuilder.MaxAutoPrepare, 16);
        builder.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
        dataSource = builder.Build();

        queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
        committer = Task.Run(CommitLoopAsync);
        reads = Channel.CreateUnbounded<PendingRead>();
        readers = [.. Enumerable.Range(0, settings.ReadConnections).Select(_ => Task.Run(ReadLoopAsync))];
    }

    /// <summary>Transactions committed so far (for tests and diagnostics: compare with <see cref="CommittedWrites"/>).</summary>
    public long CommittedBatches => Interlocked.Read(ref committedBatches);

    /// <summary>Round trips that answered activation reads so far (each carries one read or many).</summary>
    public long ReadBatches => Interlocked.Read(ref readBatches);

    /// <summary>Writes and clears acknowledged as committed so far, conflicts included.</summary>
    public long CommittedWrites => Interlocked.Read(ref committedWrites);

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = AdoNetStorageKey.For(stateName, grainId);
        var read = new PendingRead(key, grainId);
        if (!reads.Writer.TryWrite(read))
        {
            throw new ObjectDisposedException(nameof(PostgresGroupCommitStorage), $"Grain storage '{name}' is shut down.");
        }

        var (payload, version) = await read.Completion.Task;
        var state = payload is null ? default : serializer.Deserialize<T>(new BinaryData(payload));
        grainState.State = state ?? CreateInstance<T>();
        grainState.ETag = version?.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = payload is not null;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = CheckedKey(stateName, grainId);
        var expected = ParseETag(grainState.ETag);
        var payload = Bytes(serializer.Serialize(grainState.State));
        var operation = expected is null ? Operation.Insert : Operation.Update;
        var newVersion = await EnqueueAsync(new PendingWrite(key, operation, expected, payload));
        if (newVersion is null)
        {
            throw Conflict("WriteState", key, grainId, grainState.ETag);
        }

        grainState.ETag = newVersion.Value.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        // As the stock provider: a grain that never saw a row reads first, and there is nothing to clear if none exists.
        if (!grainState.RecordExists && string.IsNullOrWhiteSpace(grainState.ETag))
        {
            await ReadStateAsync(stateName, grainId, grainState);
            if (!grainState.RecordExists)
            {
                return;
            }
        }

        var key = CheckedKey(stateName, grainId);
        var newVersion = await EnqueueAsync(new PendingWrite(key, Operation.Clear, ParseETag(grainState.ETag), null));
        if (newVersion is null)
        {
            throw Conflict("ClearState", key, grainId, grainState.ETag);
        }

        grainState.ETag = newVersion.Value.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = false;
        grainState.State = CreateInstance<T>();
    }

    /// <summary>Stops taking writes, commits what is queued, then closes the pool.</summary>
    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        reads.Writer.TryComplete();
        await committer;
        await Task.WhenAll(readers);
        await dataSource.DisposeAsync();
    }

    /// <summary>The container may dispose synchronously (a host disposed with Dispose); the drain is the same.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private Task<int?> EnqueueAsync(PendingWrite write)
    {
        if (!queue.Writer.TryWrite(write))
        {
            throw new ObjectDisposedException(nameof(PostgresGroupCommitStorage), $"Grain storage '{name}' is shut down.");
        }

        return write.Completion.Task;
    }

    /// <summary>
    /// Activation reads, batched like writes but by several loops at once: a read holds no locks and needs no WAL
    /// flush, so a few connections each sending everything queued (one round trip for up to a batch of rows) replace a
    /// connection per activating grain, which is what saturated the pool when thousands of grains activated at once.
    /// A lone read is sent at once by an idle loop.
    /// </summary>
    private async Task ReadLoopAsync()
    {
        var batch = new List<PendingRead>(maxBatchSize);
        await using var statements = new Statements(dataSource, serviceId);
        while (await reads.Reader.WaitToReadAsync())
        {
            while (batch.Count < maxBatchSize && reads.Reader.TryRead(out var read))
            {
                batch.Add(read);
            }

            if (batch.Count == 0)
            {
                continue; // another loop took them
            }

            try
            {
                var rows = await ReadRowsAsync(batch, statements);
                Interlocked.Increment(ref readBatches);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Completion.TrySetResult(rows[i]);
                }
            }
            catch (Exception ex)
            {
                await statements.ResetAsync();
                foreach (var read in batch)
                {
                    read.Completion.TrySetException(ex);
                }
            }

            batch.Clear();
        }
    }

    private async Task<(byte[]? Payload, int? Version)[]> ReadRowsAsync(List<PendingRead> batch, Statements statements)
    {
        var command = await statements.StartAsync();
        foreach (var read in batch)
        {
            statements.Read(read.Key);
        }

        var rows = new (byte[]? Payload, int? Version)[batch.Count];
        await using var reader = await command.ExecuteReaderAsync();
        var i = 0;
        do
        {
            var found = 0;
            while (await reader.ReadAsync())
            {
                // The stock provider takes SingleOrDefault: duplicate rows are corruption, not something to pick from.
                // Only that grain's read fails; the batch's others are answered.
                if (++found > 1)
                {
                    batch[i].Completion.TrySetException(new InvalidOperationException(
                        $"More than one stored row for state '{batch[i].Key.GrainTypeString}' of grain {batch[i].GrainId} (service '{serviceId}')."));
                    continue;
                }

                rows[i] = (reader.IsDBNull(0) ? null : reader.GetFieldValue<byte[]>(0), reader.IsDBNull(1) ? null : reader.GetInt32(1));
            }

            i++;
        }
        while (await reader.NextResultAsync());

        return rows;
    }

    private async Task CommitLoopAsync()
    {
        var batch = new List<PendingWrite>(maxBatchSize);
        await using var statements = new Statements(dataSource, serviceId);
        while (await queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < maxBatchSize && queue.Reader.TryRead(out var write))
            {
                batch.Add(write);
            }

            await CommitAsync(batch, statements);
            batch.Clear();
        }
    }

    /// <summary>Commits one batch and completes every write in it; never throws, so the loop outlives any failure.</summary>
    private async Task CommitAsync(List<PendingWrite> batch, Statements statements)
    {
        // One lock order for every batch of every silo (stable, so two writes of one grain keep their order):
        // two batches touching the same rows then queue behind each other instead of deadlocking.
        var ordered = batch.Count == 1 ? batch : [.. batch.OrderBy(w => w.Key.GrainIdHash).ThenBy(w => w.Key.GrainTypeHash)];
        try
        {
            var versions = await ExecuteAsync(ordered, statements);
            Acknowledge(ordered, versions);
        }
        catch (PostgresException ex) when (ordered.Count > 1)
        {
            // The server refused a statement (or chose this batch as a deadlock victim) and rolled the whole batch
            // back, so nothing of it is committed: run each write alone so only the faulty one fails.
            LogBatchRetriedAlone(logger, ex, name, ordered.Count);
            foreach (var write in ordered)
            {
                try
                {
                    Acknowledge([write], await ExecuteAsync([write], statements));
                }
                catch (Exception single)
                {
                    write.Completion.TrySetException(single);
                }
            }
        }
        catch (Exception ex)
        {
            // Typically a lost connection: whether the commit happened is unknown, so every grain hears the error and
            // retries or deactivates exactly as with a failed single write.
            LogBatchFailed(logger, ex, name, ordered.Count);
            foreach (var write in ordered)
            {
                write.Completion.TrySetException(ex);
            }
        }
    }

    private void Acknowledge(IReadOnlyList<PendingWrite> writes, int?[] versions)
    {
        Interlocked.Increment(ref committedBatches);
        Interlocked.Add(ref committedWrites, writes.Count);
        for (var i = 0; i < writes.Count; i++)
        {
            writes[i].Completion.TrySetResult(versions[i]);
        }
    }

    /// <summary>
    /// Sends the batch in one round trip. Without an explicit transaction Npgsql ends a batch with a single Sync, so
    /// PostgreSQL runs all of it as one implicit transaction and commits at the Sync: reading the reader to its end
    /// (ReadyForQuery) is what proves the commit, so no result is handed out before that.
    /// </summary>
    private static async Task<int?[]> ExecuteAsync(IReadOnlyList<PendingWrite> writes, Statements statements)
    {
        var batch = await statements.StartAsync();
        try
        {
            foreach (var write in writes)
            {
                statements.Write(write);
            }

            var versions = new int?[writes.Count];
            await using (var reader = await batch.ExecuteReaderAsync())
            {
                var i = 0;
                do
                {
                    versions[i++] = await reader.ReadAsync() ? reader.GetInt32(0) : null;
                }
                while (await reader.NextResultAsync());
            }

            return versions;
        }
        catch
        {
            await statements.ResetAsync();
            throw;
        }
        finally
        {
            statements.Finish();
        }
    }

    /// <summary>
    /// The serializer's bytes as they are: it hands over an array of its own, so copying it again (as
    /// <c>BinaryData.ToArray</c> would) only makes garbage. A view into a larger buffer is copied.
    /// </summary>
    private static byte[] Bytes(BinaryData data) =>
        MemoryMarshal.TryGetArray(data.ToMemory(), out var segment) && segment is { Array: { } array, Offset: 0 } && segment.Count == array.Length
            ? array
            : data.ToArray();

    private static AdoNetStorageKey CheckedKey(string stateName, GrainId grainId)
    {
        var key = AdoNetStorageKey.For(stateName, grainId);
        if (key.GrainTypeString.Length > MaxGrainTypeLength || key.GrainIdExtensionString?.Length > MaxExtensionLength)
        {
            throw new ArgumentException(
                $"State '{key.GrainTypeString}' of grain {grainId} does not fit the OrleansStorage key columns ({MaxGrainTypeLength} characters each).");
        }

        return key;
    }

    private static int? ParseETag(string? etag) =>
        string.IsNullOrWhiteSpace(etag) ? null : int.Parse(etag, NumberStyles.Integer, CultureInfo.InvariantCulture);

    private InconsistentStateException Conflict(string operation, AdoNetStorageKey key, GrainId grainId, string? etag) =>
        new($"Version conflict ({operation}): ServiceId={serviceId} ProviderName={name} GrainType={key.GrainTypeString} GrainId={grainId} ETag={etag}.");

    private T CreateInstance<T>() => activators.GetActivator<T>().Create();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Grain storage {Name}: a batch of {Count} writes was refused by the server; retrying each write alone.")]
    private static partial void LogBatchRetriedAlone(ILogger logger, Exception exception, string name, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Grain storage {Name}: a batch of {Count} writes failed; all of them report the error.")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, string name, int count);

    private enum Operation
    {
        Insert,
        Update,
        Clear,
    }

    private sealed class PendingRead(AdoNetStorageKey key, GrainId grainId)
    {
        public AdoNetStorageKey Key { get; } = key;

        public GrainId GrainId { get; } = grainId;

        /// <summary>The row's payload and version; both null when there is no row.</summary>
        public TaskCompletionSource<(byte[]? Payload, int? Version)> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class PendingWrite(AdoNetStorageKey key, Operation operation, int? expectedVersion, byte[]? payload)
    {
        public AdoNetStorageKey Key { get; } = key;

        public Operation Operation { get; } = operation;

        public int? ExpectedVersion { get; } = expectedVersion;

        public byte[]? Payload { get; } = payload;

        /// <summary>The new version once committed; null when the version check failed (a conflict).</summary>
        public TaskCompletionSource<int?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>
    /// One loop's connection, batch and statements, reused from batch to batch with their parameters rebound. A loop (the
    /// committer, or one reader) sends one batch at a time, so nothing here is shared. Made afresh, every row cost a
    /// statement and nine parameter objects: under tip ingestion that was about a tenth of the silo's allocations.
    /// </summary>
    /// <remarks>
    /// The statements stay on the connection they were first sent on: Npgsql prepares statements per connection, and a
    /// batch reused on another connection can ask for a statement prepared only on the first. After any failure the
    /// connection and the statements are dropped together and the next batch starts afresh.
    /// </remarks>
    private sealed class Statements(NpgsqlDataSource dataSource, string serviceId) : IAsyncDisposable
    {
        private NpgsqlConnection? connection;
        private NpgsqlBatch batch = null!;
        private Pool reads = null!;
        private Pool inserts = null!;
        private Pool updates = null!;
        private Pool clears = null!;

        /// <summary>An empty batch on this loop's connection (opened, with new statements, when there is none).</summary>
        public async ValueTask<NpgsqlBatch> StartAsync()
        {
            if (connection is null)
            {
                connection = await dataSource.OpenConnectionAsync();
                batch = new NpgsqlBatch(connection);
                reads = new Pool(ReadSql, serviceId, _ => { });
                inserts = new Pool(InsertSql, serviceId, p => p.Add(new NpgsqlParameter<byte[]> { NpgsqlDbType = NpgsqlDbType.Bytea }));
                updates = new Pool(UpdateSql, serviceId, p =>
                {
                    p.Add(new NpgsqlParameter<int>());
                    p.Add(new NpgsqlParameter<byte[]> { NpgsqlDbType = NpgsqlDbType.Bytea });
                });
                clears = new Pool(ClearSql, serviceId, p => p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Integer }));
            }

            batch.BatchCommands.Clear();
            reads.Used = inserts.Used = updates.Used = clears.Used = 0;
            return batch;
        }

        public void Read(AdoNetStorageKey key) => Add(reads, key);

        public void Write(PendingWrite write)
        {
            switch (write.Operation)
            {
                case Operation.Insert:
                    ((NpgsqlParameter<byte[]>)Add(inserts, write.Key)[7]).TypedValue = write.Payload;
                    break;
                case Operation.Update:
                    var update = Add(updates, write.Key);
                    ((NpgsqlParameter<int>)update[7]).TypedValue = write.ExpectedVersion!.Value; // an update always has one
                    ((NpgsqlParameter<byte[]>)update[8]).TypedValue = write.Payload;
                    break;
                default:
                    Add(clears, write.Key)[7].Value = (object?)write.ExpectedVersion ?? DBNull.Value;
                    break;
            }
        }

        /// <summary>Lets go of the batch's payloads, so an idle loop holds no grain state.</summary>
        public void Finish()
        {
            if (connection is null)
            {
                return;
            }

            for (var i = 0; i < inserts.Used; i++)
            {
                ((NpgsqlParameter<byte[]>)inserts.Made[i].Parameters[7]).TypedValue = null;
            }

            for (var i = 0; i < updates.Used; i++)
            {
                ((NpgsqlParameter<byte[]>)updates.Made[i].Parameters[8]).TypedValue = null;
            }
        }

        /// <summary>After a failure: the connection may be broken and a statement half-sent, so both are dropped.</summary>
        public async ValueTask ResetAsync()
        {
            if (connection is { } broken)
            {
                connection = null;
                await batch.DisposeAsync();
                await broken.DisposeAsync();
            }
        }

        public ValueTask DisposeAsync() => ResetAsync();

        private NpgsqlParameterCollection Add(Pool pool, AdoNetStorageKey key)
        {
            var statement = pool.Next();
            var parameters = statement.Parameters;
            ((NpgsqlParameter<int>)parameters[0]).TypedValue = key.GrainIdHash;
            ((NpgsqlParameter<long>)parameters[1]).TypedValue = key.GrainIdN0;
            ((NpgsqlParameter<long>)parameters[2]).TypedValue = key.GrainIdN1;
            ((NpgsqlParameter<int>)parameters[3]).TypedValue = key.GrainTypeHash;
            ((NpgsqlParameter<string>)parameters[4]).TypedValue = key.GrainTypeString;
            parameters[5].Value = (object?)key.GrainIdExtensionString ?? DBNull.Value;
            batch.BatchCommands.Add(statement);
            return parameters;
        }

        /// <summary>Statements of one SQL text: $1–$7 the key (<see cref="KeyPredicate"/>), then the operation's own.</summary>
        private sealed class Pool(string sql, string serviceId, Action<NpgsqlParameterCollection> addOperationParameters)
        {
            public List<NpgsqlBatchCommand> Made { get; } = [];

            public int Used { get; set; }

            public NpgsqlBatchCommand Next()
            {
                if (Used == Made.Count)
                {
                    var statement = new NpgsqlBatchCommand(sql);
                    var parameters = statement.Parameters;
                    parameters.Add(new NpgsqlParameter<int>());
                    parameters.Add(new NpgsqlParameter<long>());
                    parameters.Add(new NpgsqlParameter<long>());
                    parameters.Add(new NpgsqlParameter<int>());
                    parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text });
                    parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text });
                    parameters.Add(new NpgsqlParameter<string> { TypedValue = serviceId, NpgsqlDbType = NpgsqlDbType.Text });
                    addOperationParameters(parameters);
                    Made.Add(statement);
                }

                return Made[Used++];
            }
        }
    }
}
