using FanForge.GrainInterfaces.Loyalty;

namespace FanForge.Grains.Loyalty;

[GenerateSerializer, Alias("ff.GlobalLeaderboardState")]
public sealed class GlobalLeaderboardState
{
    [Id(0)] public List<CreatorStanding> Top { get; set; } = [];
}

/// <summary>
/// One activation ranks all creators, so its writes are coalesced (<see cref="CoalescingGrain{TState}"/>, at most every
/// <see cref="FlushInterval"/>). Reports carry absolute, growing totals, so a report lost to a crash is repaired by
/// that creator's next one.
/// </summary>
[GrainType("ff.global-leaderboard")]
public sealed class GlobalLeaderboardGrain(
    [PersistentState("global-leaderboard", StorageNames.Default)] IPersistentState<GlobalLeaderboardState> state)
    : CoalescingGrain<GlobalLeaderboardState>(state, FlushInterval), IGlobalLeaderboard
{
    internal const int Capacity = 100;
    internal static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(2);

    public Task ReportAsync(CreatorStanding standing)
    {
        var current = State.Top.Find(s => s.Creator == standing.Creator);
        if (current is null || standing.PaymentCount > current.PaymentCount)
        {
            TopList.Upsert(State.Top, standing, s => s.Creator, Rankings.CreatorsByVolume, Capacity);
            Changed();
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<CreatorStanding>> GetTopAsync(int limit) =>
        Task.FromResult<IReadOnlyList<CreatorStanding>>([.. State.Top.Take(limit)]);
}
