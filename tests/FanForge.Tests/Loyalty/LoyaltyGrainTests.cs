using FanForge.GrainInterfaces.Loyalty;
using FanForge.Tests.Infrastructure;

namespace FanForge.Tests.Loyalty;

[Collection(ClusterCollection.Name)]
public sealed class LoyaltyGrainTests(InProcessClusterFixture cluster)
{
    private static int walletSeed = 60;

    private static string NewWallet() => new TestWallet((byte)Interlocked.Increment(ref walletSeed)).Address;

    private static ChainTip Tip(string creator, string fan, ulong round, ulong intra = 0, long micro = 1_000_000, string memo = "") =>
        new(fan, creator, micro, memo, new ChainPosition(round, intra), $"TX-{creator[..6]}-{fan[..6]}-{round}-{intra}",
            new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(round * 3 + intra));

    private ICreatorPayments Ledger(string creator) => cluster.Client.GetGrain<ICreatorPayments>(creator);

    private Task<FanLoyaltySnapshot> Pair(string creator, string fan) =>
        cluster.Client.GetGrain<IFanLoyalty>(FanLoyaltyKey.For(creator, fan)).GetAsync();

    [Fact]
    public async Task Six_tips_make_tip_count_six_and_one_badge()
    {
        var (creator, fan) = (NewWallet(), NewWallet());

        await Ledger(creator).ApplyAsync([.. Enumerable.Range(1, 6).Select(r => Tip(creator, fan, (ulong)r))]);

        var pair = await Pair(creator, fan);
        Assert.Equal(6, pair.ButkiTipCount);
        Assert.Equal(6_000_000, pair.ButkiMicroAlgo);
        Assert.Equal(1, pair.BadgesEarned);
        Assert.Equal(4, pair.TipsToNextBadge);
    }

    [Fact]
    public async Task The_same_tips_delivered_twice_and_overlapping_count_once()
    {
        var (creator, fan) = (NewWallet(), NewWallet());
        var tips = Enumerable.Range(1, 5).Select(r => Tip(creator, fan, (ulong)r)).ToList();

        var first = await Ledger(creator).ApplyAsync(tips);
        var again = await Ledger(creator).ApplyAsync(tips);
        var overlapping = await Ledger(creator).ApplyAsync([.. tips.Skip(3), Tip(creator, fan, 6)]);

        Assert.Equal((5, 0, 1), (first, again, overlapping));
        var pair = await Pair(creator, fan);
        Assert.Equal(6, pair.PaymentCount);
        Assert.Equal(1, pair.BadgesEarned);
        var summary = await Ledger(creator).GetSummaryAsync();
        Assert.Equal(6, summary.PaymentCount);
        Assert.Equal(1, summary.UniqueFans);
    }

    [Fact]
    public async Task Tips_reordered_within_a_round_are_applied_in_chain_order()
    {
        var (creator, fan) = (NewWallet(), NewWallet());
        var inOrder = Enumerable.Range(0, 5).Select(i => Tip(creator, fan, 10, (ulong)i, micro: 1_000_000 + i)).ToList();

        await Ledger(creator).ApplyAsync([inOrder[3], inOrder[0], inOrder[4], inOrder[2], inOrder[1]]);

        var summary = await Ledger(creator).GetSummaryAsync();
        Assert.Equal(new ChainPosition(10, 4), summary.HighWater);
        Assert.Equal(inOrder.AsEnumerable().Reverse().Select(t => t.TxId), summary.Recent.Select(t => t.TxId));
        Assert.Equal(5, (await Pair(creator, fan)).ButkiTipCount);
    }

    [Fact]
    public async Task A_pair_that_already_applied_a_batch_the_ledger_did_not_record_is_not_counted_twice()
    {
        // The crash window: the pair wrote, the ledger did not; the watcher redelivers the same batch.
        var (creator, fan) = (NewWallet(), NewWallet());
        var tips = Enumerable.Range(1, 3).Select(r => Tip(creator, fan, (ulong)r)).ToList();
        await cluster.Client.GetGrain<IFanLoyalty>(FanLoyaltyKey.For(creator, fan)).ApplyAsync([.. tips.Select(t => new PricedTip(t, CountsForButki: true))]);

        await Ledger(creator).ApplyAsync(tips);

        var summary = await Ledger(creator).GetSummaryAsync();
        Assert.Equal((3, 3_000_000L, 1), (summary.PaymentCount, summary.PaymentMicroAlgo, summary.UniqueFans));
        Assert.Equal(3, (await Pair(creator, fan)).PaymentCount);
    }

    [Fact]
    public async Task Small_tips_and_underpaid_purchases_are_tips_but_not_butki_tips_and_paid_purchases_and_orders_no_tips()
    {
        var (creator, fan) = (NewWallet(), NewWallet());

        await Ledger(creator).ApplyAsync(
        [
            Tip(creator, fan, 1, micro: 400_000),
            Tip(creator, fan, 2, micro: 5_000_000, memo: "MEMBERSHIP:BAUNI"),
            Tip(creator, fan, 3, micro: 2_000_000, memo: "ORDER:12"),
            Tip(creator, fan, 4, micro: 1_000_000, memo: "PURCHASE:SHAWTY"),
        ]);

        // The Bauni purchase and the order payment went to their own owners; the small tip and the underpaid Shawty are tips.
        var pair = await Pair(creator, fan);
        Assert.Equal((2, 1_400_000L), (pair.PaymentCount, pair.PaymentMicroAlgo));
        Assert.Equal((1, 1_000_000L), (pair.ButkiTipCount, pair.ButkiMicroAlgo)); // the underpaid Shawty is a plain tip
    }

    [Fact]
    public async Task Leaderboards_rank_fans_by_volume_and_by_badges_then_volume()
    {
        var creator = NewWallet();
        var (whale, loyal, casual) = (NewWallet(), NewWallet(), NewWallet());
        var tips = new List<ChainTip> { Tip(creator, whale, 1, micro: 50_000_000) };
        tips.AddRange(Enumerable.Range(0, 5).Select(i => Tip(creator, loyal, 2, (ulong)i, micro: 600_000)));
        tips.Add(Tip(creator, casual, 3, micro: 700_000));

        await Ledger(creator).ApplyAsync(tips);

        Assert.Equal([whale, loyal, casual], (await Ledger(creator).GetTopFansAsync(10)).Select(s => s.Fan));
        Assert.Equal([loyal, whale, casual], (await Ledger(creator).GetButkiLeadersAsync(10)).Select(s => s.Fan));
        Assert.Equal([whale], (await Ledger(creator).GetTopFansAsync(1)).Select(s => s.Fan));
        Assert.Equal(3, (await Ledger(creator).GetSummaryAsync()).UniqueFans);
    }

    [Fact]
    public async Task The_fan_index_lists_every_creator_and_each_pair_its_latest_tips()
    {
        var fan = NewWallet();
        var (first, second) = (NewWallet(), NewWallet());

        await Ledger(first).ApplyAsync([Tip(first, fan, 1), Tip(first, fan, 2)]);
        await Ledger(second).ApplyAsync([Tip(second, fan, 3, micro: 2_000_000)]);
        await Ledger(first).ApplyAsync([Tip(first, fan, 2)]); // redelivery: no duplicate in the recent list

        var creators = await cluster.Client.GetGrain<IFanTipIndex>(fan).GetCreatorsAsync();
        Assert.Equal(new[] { first, second }.Order(StringComparer.Ordinal), creators.Order(StringComparer.Ordinal));
        Assert.Equal((2, 1), ((await Pair(first, fan)).PaymentCount, (await Pair(second, fan)).PaymentCount));
        Assert.Equal([2UL, 1UL], (await cluster.Client.GetGrain<IFanLoyalty>(FanLoyaltyKey.For(first, fan)).GetRecentAsync()).Select(t => t.Position.Round));
    }

    [Fact]
    public async Task The_global_leaderboard_ranks_creators_by_algo_received()
    {
        var fan = NewWallet();
        var (big, small) = (NewWallet(), NewWallet());

        await Ledger(small).ApplyAsync([Tip(small, fan, 1, micro: 1_000_000)]);
        await Ledger(big).ApplyAsync([Tip(big, fan, 1, micro: 900_000_000_000)]);

        var top = await cluster.Client.GetGrain<IGlobalLeaderboard>(IGlobalLeaderboard.Key).GetTopAsync(100);
        Assert.Equal(big, top[0].Creator);
        Assert.True(top.ToList().FindIndex(s => s.Creator == small) > 0);
    }

    [Fact]
    public async Task A_payment_for_another_creator_is_refused_and_nothing_changes()
    {
        var (creator, other, fan) = (NewWallet(), NewWallet(), NewWallet());

        await Assert.ThrowsAsync<GrainInterfaces.Errors.DomainException>(() => Ledger(creator).ApplyAsync([Tip(creator, fan, 1), Tip(other, fan, 2)]));

        Assert.Equal(0, (await Ledger(creator).GetSummaryAsync()).PaymentCount);
    }
}
