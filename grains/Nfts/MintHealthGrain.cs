using FanForge.GrainInterfaces.Nfts;
using Microsoft.Extensions.Options;

namespace FanForge.Grains.Nfts;

[GenerateSerializer, Alias("ff.MintHealthState")]
public sealed class MintHealthState
{
    [Id(0)] public long FailedAttempts { get; set; }
    [Id(1)] public long RetriesSucceeded { get; set; }
    [Id(2)] public long StillFailing { get; set; }
}

/// <summary>
/// Persisted rather than in memory: an idle singleton is collected and silos restart on every deployment, and
/// "still failing" is a level that must outlive both. Every mint grain reports here, so writes are coalesced: the
/// reports are increments, and a crash may lose the last seconds of them.
/// </summary>
[GrainType("ff.mint-health")]
public sealed class MintHealthGrain(
    [PersistentState("mint-health", StorageNames.Default)] IPersistentState<MintHealthState> state,
    IOptions<MintRetryOptions> options) : CoalescingGrain<MintHealthState>(state, TimeSpan.FromSeconds(2)), IMintHealth
{
    public Task AttemptFailedAsync(bool nowStillFailing)
    {
        State.FailedAttempts++;
        State.StillFailing += nowStillFailing ? 1 : 0;
        Changed();
        return Task.CompletedTask;
    }

    public Task RetrySucceededAsync(bool wasStillFailing)
    {
        State.RetriesSucceeded++;
        // Never below zero: the report that counted this mint in may be the one a crash lost.
        State.StillFailing = Math.Max(0, State.StillFailing - (wasStillFailing ? 1 : 0));
        Changed();
        return Task.CompletedTask;
    }

    public Task<MintHealthView> GetAsync() => Task.FromResult(new MintHealthView(
        State.FailedAttempts, State.RetriesSucceeded, State.StillFailing, options.Value.MaxRetryAttempts));
}
