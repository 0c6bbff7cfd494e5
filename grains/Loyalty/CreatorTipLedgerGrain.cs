using FanForge.Grains.Live;
using FanForge.GrainInterfaces.Errors;
using FanForge.GrainInterfaces.Loyalty;
using Microsoft.Extensions.Logging;

namespace FanForge.Grains.Loyalty;

[GenerateSerializer, Alias("ff.CreatorTipLedgerState")]
public sealed class CreatorTipLedgerState
{
    [Id(0)] public int PaymentCount { get; set; }
    [Id(1)] public long PaymentMicroAlgo { get; set; }
    [Id(2)] public int UniqueFans { get; set; }
    [Id(3)] public ChainPosition HighWater { get; set; }
    /// <summary>Newest first, at most <see cref="CreatorTipLedgerGrain.RecentCapacity"/>.</summary>
    [Id(4)] public List<ChainTip> Recent { get; set; } = [];
    [Id(5)] public List<FanStanding> TopFans { get; set; } = [];
    [Id(6)] public List<FanStanding> ButkiLeaders { get; set; } = [];
    [Id(7)] public int BadgesMinted { get; set; }
}

/// <summary>Key: creator wallet. The per-creator ordering point between the chain watcher and the pair grains.</summary>
[GrainType("ff.creator-tip-ledger")]
public sealed class CreatorTipLedgerGrain(
    [PersistentState("creator-tip-ledger", StorageNames.Default)] IPersistentState<CreatorTipLedgerState> state,
    ILogger<CreatorTipLedgerGrain> logger)
    : Grain, ICreatorTipLedger
{
    internal const int RecentCapacity = 20;

    /// <summary>The deepest any leaderboard route pages (the Butki leaderboard allows limit 200).</summary>
    internal const int RankingCapacity = 200;

    public async Task<int> ApplyAsync(IReadOnlyList<ChainTip> tips)
    {
        var creator = this.GetPrimaryKeyString();
        if (tips.FirstOrDefault(t => t.Creator != creator) is { } stray)
        {
            throw DomainException.Invalid(ErrorCodes.InvalidArgument, $"Payment {stray.TxId} is for creator {stray.Creator}, not {creator}.");
        }

        var fresh = tips.Where(t => t.Position > state.State.HighWater).DistinctBy(t => t.Position).OrderBy(t => t.Position).ToList();
        if (fresh.Count == 0)
        {
            return 0;
        }

        // Pairs are independent: apply them in parallel, each with its own payments in chain order.
        var pairs = (await Task.WhenAll(fresh.GroupBy(t => t.Fan).Select(byFan =>
                GrainFactory.GetGrain<IFanLoyalty>(FanLoyaltyKey.For(creator, byFan.Key)).ApplyAsync([.. byFan]))))
            .ToDictionary(p => p.Fan, StringComparer.Ordinal);

        foreach (var tip in fresh)
        {
            state.State.PaymentCount++;
            state.State.PaymentMicroAlgo += tip.AmountMicroAlgo;
            // Decided by the pair's first position, not by "was it new to the pair", so a redelivery after a crash
            // between the pair's write and ours still counts each fan exactly once.
            if (pairs[tip.Fan].FirstPayment == tip.Position)
            {
                state.State.UniqueFans++;
            }
        }

        state.State.Recent.InsertRange(0, Enumerable.Reverse(fresh).Take(RecentCapacity));
        if (state.State.Recent.Count > RecentCapacity)
        {
            state.State.Recent.RemoveRange(RecentCapacity, state.State.Recent.Count - RecentCapacity);
        }

        foreach (var standing in pairs.Values.Select(FanStanding.Of))
        {
            TopList.Upsert(state.State.TopFans, standing, s => s.Fan, Rankings.ByVolume, RankingCapacity);
            if (standing.ButkiTipCount > 0)
            {
                TopList.Upsert(state.State.ButkiLeaders, standing, s => s.Fan, Rankings.ByBadges, RankingCapacity);
            }
        }

        state.State.HighWater = fresh[^1].Position;
        await state.WriteStateAsync();

        await GrainFactory.GetGrain<IGlobalLeaderboard>(IGlobalLeaderboard.Key).ReportAsync(
            new CreatorStanding(creator, state.State.PaymentCount, state.State.PaymentMicroAlgo, state.State.UniqueFans));
        await LiveEvents.PublishAsync(GrainFactory, [.. fresh.Select(t => LiveEvents.Tip(t, pairs[t.Fan]))], logger);
        return fresh.Count;
    }

    public Task<CreatorTipSummary> GetSummaryAsync() => Task.FromResult(new CreatorTipSummary(
        this.GetPrimaryKeyString(),
        state.State.PaymentCount,
        state.State.PaymentMicroAlgo,
        state.State.UniqueFans,
        [.. state.State.Recent],
        state.State.HighWater,
        state.State.BadgesMinted));

    public Task<IReadOnlyList<FanStanding>> GetTopFansAsync(int limit) =>
        Task.FromResult<IReadOnlyList<FanStanding>>([.. state.State.TopFans.Take(limit)]);

    public Task<IReadOnlyList<FanStanding>> GetButkiLeadersAsync(int limit) =>
        Task.FromResult<IReadOnlyList<FanStanding>>([.. state.State.ButkiLeaders.Take(limit)]);

    public async Task BadgeMintedAsync(string fan, int badgeNumber)
    {
        state.State.BadgesMinted++;
        await state.WriteStateAsync();
        logger.LogDebug("Butki badge {Number} of {Fan} counted for {Creator}", badgeNumber, fan, this.GetPrimaryKeyString());
    }
}
