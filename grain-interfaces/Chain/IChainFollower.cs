using Orleans.Concurrency;

namespace FanForge.GrainInterfaces.Chain;

/// <summary>
/// Follows the chain round by round with one cursor (one grain, key <see cref="Key"/>): reads each confirmed round
/// once, in order, keeps the groups that pay a registered TipProxy app running our program, and hands each creator
/// its payments of those rounds in one call to the creator's payment journal, and the holders' own transfers of its
/// claimed Shawty tokens in one call to its Shawty transfer journal. Its chain reads per round do not
/// depend on how many creators are registered.
/// </summary>
[Alias("ff.IChainFollower")]
public interface IChainFollower : IGrainWithStringKey
{
    /// <summary>The only key.</summary>
    public const string Key = "follower";

    /// <summary>Activates the follower and its loop (idempotent; silos call it at start-up, a reminder repeats it).</summary>
    [Alias("EnsureRunning")]
    Task EnsureRunningAsync();

    /// <summary>
    /// A creator registered an app: the follower reloads the registered apps before it reads another round. One-way
    /// and interleaved: it only flags the reload and ends the wait for the next block (it writes no state), so neither
    /// the caller nor the nudge waits for a turn that is waiting on the node.
    /// </summary>
    [Alias("Nudge"), OneWay, AlwaysInterleave]
    Task NudgeAsync();

    /// <summary>
    /// A Shawty token was registered as claimed (<see cref="IClaimedTokens"/>): the follower loads the new ones before it
    /// reads another round. One-way and interleaved for the same reasons as <see cref="NudgeAsync"/>.
    /// </summary>
    [Alias("TokensClaimed"), OneWay, AlwaysInterleave]
    Task TokensClaimedAsync();

    /// <summary>
    /// Cursor, lag, counters and whether crediting is halted. Read-only, so it interleaves and never waits behind a
    /// turn that is waiting on the node.
    /// </summary>
    [Alias("GetStatus"), AlwaysInterleave]
    Task<ChainFollowerStatus> GetStatusAsync();

    /// <summary>
    /// Ends a halt (a chain reset or regression) by an operator's decision: following restarts at
    /// <paramref name="fromRound"/> on whatever chain the node now serves, whose genesis becomes the expected one.
    /// Journals and consumers ignore what they already applied, so an overlap credits nothing twice.
    /// </summary>
    [Alias("Resume")]
    Task ResumeAsync(ulong fromRound);
}

/// <summary>What <c>/listener/status</c> and health report about the follower.</summary>
[GenerateSerializer, Immutable, Alias("ff.ChainFollowerStatus")]
public sealed record ChainFollowerStatus(
    [property: Id(0)] bool Running,
    [property: Id(1)] ulong LastProcessedRound,
    [property: Id(2)] ulong CurrentRound,
    [property: Id(3)] long PaymentsCredited,
    [property: Id(4)] long ErrorsCount,
    [property: Id(5)] int Apps,
    [property: Id(6)] TimeSpan PollInterval,
    [property: Id(7)] DateTimeOffset? LastPollAt,
    [property: Id(8)] double PaymentsPerMinute,
    [property: Id(9)] bool NodeReachable,
    [property: Id(10)] string? HaltReason,
    [property: Id(11)] long ChainRequests,
    [property: Id(12)] long RoundsRead,
    [property: Id(13)] long RefusedForeignProgram);
