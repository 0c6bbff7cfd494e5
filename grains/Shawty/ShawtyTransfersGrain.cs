using FanForge.Grains.Loyalty;
using FanForge.GrainInterfaces.Errors;
using FanForge.GrainInterfaces.Loyalty;
using FanForge.GrainInterfaces.Shawty;
using Microsoft.Extensions.Logging;

namespace FanForge.Grains.Shawty;

[GenerateSerializer, Alias("ff.ShawtyTransfersState")]
public sealed class ShawtyTransfersState
{
    /// <summary>The last journaled transfer: everything at or below it is here or was delivered.</summary>
    [Id(0)] public ChainPosition HighWater { get; set; }

    /// <summary>Transfers their token has not taken yet, in chain order.</summary>
    [Id(1)] public List<ShawtyChainTransfer> Pending { get; set; } = [];

    /// <summary>Tokens whose last delivery failed, by asset id.</summary>
    [Id(2)] public Dictionary<ulong, ConsumerFailure> Failures { get; set; } = [];
}

/// <summary>
/// Key: creator wallet. The payments journal's pattern for Shawty transfers: <see cref="AppendAsync"/> only journals
/// (one write) so the follower never waits on a token (which may itself be waiting on the chain for a claim or a
/// burn), and a timer that interleaves with calls delivers each token its transfers in chain order. A token that fails
/// or does not answer in time holds back only its own transfers, retried with a doubling back-off; a reminder brings
/// the journal back to deliver after a silo loss. Durable writes go one at a time, as the two paths interleave.
/// </summary>
[GrainType("ff.shawty-transfers")]
public sealed class ShawtyTransfersGrain(
    [PersistentState("shawty-transfers", StorageNames.Default)] IPersistentState<ShawtyTransfersState> state,
    TimeProvider time,
    ILogger<ShawtyTransfersGrain> logger) : Grain, IShawtyTransfers, IRemindable
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan TickPeriod = TimeSpan.FromSeconds(1);
    private const string RedeliveryReminder = "redeliver";

    private readonly SemaphoreSlim writes = new(1, 1);
    private IGrainTimer? deliveryTimer;
    private ReminderSlot? redelivery;

    private string Creator => this.GetPrimaryKeyString();

    private ReminderSlot Redelivery => redelivery ??= new(this, RedeliveryReminder);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        deliveryTimer = this.RegisterGrainTimer(DeliverAsync, new GrainTimerCreationOptions(TimeSpan.Zero, TickPeriod) { Interleave = true });
        return Task.CompletedTask;
    }

    public async Task<int> AppendAsync(IReadOnlyList<ShawtyChainTransfer> transfers)
    {
        if (transfers.FirstOrDefault(t => t.Creator != Creator) is { } stray)
        {
            throw DomainException.Invalid(ErrorCodes.InvalidArgument, $"Transfer {stray.TxId} is of a token of {stray.Creator}, not {Creator}.");
        }

        var fresh = transfers.Where(t => t.Position > state.State.HighWater).DistinctBy(t => t.Position).OrderBy(t => t.Position).ToList();
        if (fresh.Count == 0)
        {
            return 0;
        }

        var wasIdle = state.State.Pending.Count == 0;
        state.State.Pending.AddRange(fresh);
        state.State.HighWater = fresh[^1].Position;
        // Armed before the write, so journaled transfers are delivered even if this silo dies right after it (and after
        // adding them, so a delivery pass interleaving here does not find the journal empty and disarm it).
        if (wasIdle)
        {
            try
            {
                await Redelivery.ArmAsync(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
            }
            catch
            {
                // The transfers are only in memory, past a high-water mark a retry would trust: start again from storage.
                DeactivateOnIdle();
                throw;
            }
        }

        await SaveAsync();
        deliveryTimer?.Change(TimeSpan.Zero, TickPeriod);
        return fresh.Count;
    }

    public Task<int> GetPendingCountAsync() => Task.FromResult(state.State.Pending.Count);

    public Task ReceiveReminder(string reminderName, TickStatus status) =>
        // Activation restarted the delivery timer; this only has to wake the grain, or retire the reminder when idle.
        state.State.Pending.Count == 0 ? Redelivery.DisarmAsync() : Task.CompletedTask;

    /// <summary>One pass: every token with due transfers gets them, in chain order, at the same time as the others.</summary>
    private async Task DeliverAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var due = state.State.Pending
            .Where(t => !(state.State.Failures.TryGetValue(t.AssetId, out var failure) && failure.RetryAt > now))
            .GroupBy(t => t.AssetId)
            .ToList();
        if (due.Count == 0)
        {
            return;
        }

        var outcomes = await Task.WhenAll(due.Select(g => DeliverToAsync([.. g])));
        var delivered = new HashSet<ShawtyChainTransfer>(ReferenceEqualityComparer.Instance);
        foreach (var (transfers, error) in outcomes)
        {
            var assetId = transfers[0].AssetId;
            if (error is not null)
            {
                var attempts = state.State.Failures.TryGetValue(assetId, out var previous) ? previous.Attempts + 1 : 1;
                var backoff = Backoff.Doubling(FirstRetry, MaxRetry, attempts);
                state.State.Failures[assetId] = new ConsumerFailure(attempts, $"{error.GetType().Name}: {error.Message}", now + backoff);
                logger.LogWarning(error, "Delivering {Count} transfers of Shawty token {AssetId} (creator {Creator}) failed ({Attempts} in a row); retrying in {Backoff}",
                    transfers.Count, assetId, Creator, attempts, backoff);
                continue;
            }

            state.State.Failures.Remove(assetId);
            delivered.UnionWith(transfers);
        }

        state.State.Pending.RemoveAll(delivered.Contains);
        await SaveAsync();
        if (state.State.Pending.Count == 0)
        {
            await Redelivery.DisarmAsync();
        }
    }

    /// <summary>Hands one token its transfers, one at a time; a failure or a token that does not answer in time is an outcome, not a throw.</summary>
    private async Task<(IReadOnlyList<ShawtyChainTransfer> Transfers, Exception? Error)> DeliverToAsync(IReadOnlyList<ShawtyChainTransfer> transfers)
    {
        var token = GrainFactory.GetGrain<IShawtyToken>((long)transfers[0].AssetId);
        var work = ObserveAllAsync();
        try
        {
            await work.WaitAsync(CreatorPaymentsGrain.ConsumerTimeout);
            return (transfers, null);
        }
        catch (TimeoutException) when (!work.IsCompleted)
        {
            return (transfers, new TimeoutException($"Shawty token {transfers[0].AssetId} did not answer within {CreatorPaymentsGrain.ConsumerTimeout.TotalSeconds} s"));
        }
        catch (Exception e)
        {
            return (transfers, e);
        }

        async Task ObserveAllAsync()
        {
            foreach (var transfer in transfers)
            {
                await token.ObserveTransferAsync(transfer); // one at a time: the token applies them in chain order
            }
        }
    }

    /// <summary>One durable write at a time: appends and deliveries interleave, and the storage's ETag allows no overlap.</summary>
    private async Task SaveAsync()
    {
        await writes.WaitAsync();
        try
        {
            await state.WriteStateAsync();
        }
        finally
        {
            writes.Release();
        }
    }
}
