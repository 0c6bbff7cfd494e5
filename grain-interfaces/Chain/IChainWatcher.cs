using Orleans.Concurrency;

namespace FanForge.GrainInterfaces.Chain;

/// <summary>
/// Reads every creator's TipProxy calls from the indexer and delivers them to the creator tip ledgers
/// (one grain, key <see cref="Key"/>). Keeps one persisted round cursor per app, so one app's failures never
/// hold back or skip another's.
/// </summary>
[Alias("ff.IChainWatcher")]
public interface IChainWatcher : IGrainWithStringKey
{
    /// <summary>The only key.</summary>
    public const string Key = "watcher";

    /// <summary>Activates the watcher and its polling (idempotent; silos call it at start-up).</summary>
    [Alias("EnsureRunning")]
    Task EnsureRunningAsync();

    /// <summary>
    /// Polls soon instead of at the next interval (after a new app, say). One-way and interleaved: callers are often
    /// grains the watcher itself calls while polling, and waiting on each other would deadlock.
    /// </summary>
    [Alias("Nudge"), OneWay, AlwaysInterleave]
    Task NudgeAsync();

    /// <summary>Cursor, lag and counters (read-only, so it never waits behind a poll).</summary>
    [Alias("GetStatus"), AlwaysInterleave]
    Task<ChainWatcherStatus> GetStatusAsync();
}

/// <summary>What <c>/listener/status</c> reports.</summary>
[GenerateSerializer, Immutable, Alias("ff.ChainWatcherStatus")]
public sealed record ChainWatcherStatus(
    [property: Id(0)] bool Running,
    [property: Id(1)] ulong LastProcessedRound,
    [property: Id(2)] ulong CurrentRound,
    [property: Id(3)] long TipsProcessedTotal,
    [property: Id(4)] long ErrorsCount,
    [property: Id(5)] int Apps,
    [property: Id(6)] TimeSpan PollInterval,
    [property: Id(7)] DateTimeOffset? LastPollAt,
    [property: Id(8)] double TipsPerMinute,
    [property: Id(9)] bool IndexerReachable);
