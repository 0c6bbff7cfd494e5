using FanForge.GrainInterfaces.Loyalty;

namespace FanForge.Grains.Loyalty;

[GenerateSerializer, Alias("ff.GlobalLeaderboardState")]
public sealed class GlobalLeaderboardState
{
    [Id(0)] public List<CreatorStanding> Top { get; set; } = [];
}

/// <summary>
/// One activation ranks all creators, so its writes are coalesced (Chirper style): every report changes memory at
/// once and a timer persists at most every <see cref="FlushInterval"/>. Reports carry absolute, growing totals, so
/// a report lost to a crash is repaired by that creator's next one.
/// </summary>
[GrainType("ff.global-leaderboard")]
public sealed class GlobalLeaderboardGrain(
    [PersistentState("global-leaderboard", StorageNames.Default)] IPersistentState<GlobalLeaderboardState> state)
    : Grain, IGlobalLeaderboard
{
    internal const int Capacity = 100;
    internal static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(2);

    private bool dirty;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(FlushAsync, new GrainTimerCreationOptions(FlushInterval, FlushInterval) { Interleave = false });
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => FlushAsync(cancellationToken);

    public Task ReportAsync(CreatorStanding standing)
    {
        var current = state.State.Top.Find(s => s.Creator == standing.Creator);
        if (current is null || standing.PaymentCount > current.PaymentCount)
        {
            TopList.Upsert(state.State.Top, standing, s => s.Creator, Rankings.CreatorsByVolume, Capacity);
            dirty = true;
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<CreatorStanding>> GetTopAsync(int limit) =>
        Task.FromResult<IReadOnlyList<CreatorStanding>>([.. state.State.Top.Take(limit)]);

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (dirty)
        {
            await state.WriteStateAsync(cancellationToken);
            dirty = false;
        }
    }
}
