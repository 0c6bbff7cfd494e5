using FanForge.GrainInterfaces.Loyalty;
using FanForge.GrainInterfaces.Memberships;
using FanForge.Silo;
using FanForge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace FanForge.Tests.Loyalty;

/// <summary>Makes one fan's membership grain throw on purchases while <see cref="Poisoned"/> names that fan.</summary>
internal sealed class PoisonedMemberships : IIncomingGrainCallFilter
{
    public static volatile string? Poisoned;

    public Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.Grain is IMembership && context.InterfaceMethod?.Name == nameof(IMembership.ApplyPurchaseAsync)
            && Poisoned is { } fan && context.TargetId.Key.ToString()!.EndsWith("/" + fan, StringComparison.Ordinal))
        {
            throw new InvalidOperationException("membership store unavailable (test)");
        }

        return context.Invoke();
    }
}

/// <summary>The creator journal: one owner per payment kind, and a failing consumer holds back nobody else.</summary>
public sealed class PaymentJournalTests : IAsyncLifetime
{
    private static int walletSeed = 140;
    private InProcessTestCluster cluster = null!;
    private ulong round = 100;

    private IGrainFactory Grains => cluster.Client;

    public async Task InitializeAsync() => cluster = await TestClusters.StartAsync(
        1, new AlgorandSettings(), services => services.AddSingleton<IIncomingGrainCallFilter, PoisonedMemberships>());

    public async Task DisposeAsync()
    {
        PoisonedMemberships.Poisoned = null;
        await cluster.DisposeAsync();
    }

    private static string NewWallet() => new TestWallet((byte)Interlocked.Increment(ref walletSeed)).Address;

    private ChainTip Pay(string creator, string fan, long micro, string memo = "") =>
        new(fan, creator, micro, memo, new ChainPosition(round++, 0), $"J-{round}-{Guid.NewGuid():N}", DateTimeOffset.UtcNow);

    private Task<FanLoyaltySnapshot> PairAsync(string creator, string fan) => Grains.GetGrain<IFanLoyalty>(FanLoyaltyKey.For(creator, fan)).GetAsync();

    [Fact]
    public async Task Purchases_and_order_payments_leave_tip_counts_and_the_tip_leaderboard_unchanged()
    {
        var (creator, fan) = (NewWallet(), NewWallet());
        var journal = Grains.GetGrain<ICreatorPayments>(creator);
        await journal.ApplyAsync([Pay(creator, fan, 1_000_000, "hi")]);
        var before = (await PairAsync(creator, fan), (await journal.GetTopFansAsync(10)).Single(), await journal.GetSummaryAsync());

        await journal.ApplyAsync(
        [
            Pay(creator, fan, 5_000_000, "MEMBERSHIP:BAUNI"),
            Pay(creator, fan, 3_000_000, "ORDER:424242"),
            Pay(creator, fan, 2_000_000, "PURCHASE:SHAWTY"),
        ]);

        var after = (await PairAsync(creator, fan), (await journal.GetTopFansAsync(10)).Single(), await journal.GetSummaryAsync());
        Assert.Equal((1, 1_000_000L, 1), (after.Item1.PaymentCount, after.Item1.PaymentMicroAlgo, after.Item1.ButkiTipCount));
        Assert.Equal(before.Item2, after.Item2);
        Assert.Equal((1, 1_000_000L), (after.Item3.PaymentCount, after.Item3.PaymentMicroAlgo));
        Assert.Equal(
            [("tip", 1, 1_000_000L), ("membership", 1, 5_000_000L), ("shawty", 1, 2_000_000L), ("order", 1, 3_000_000L)],
            after.Item3.Revenue!.Select(r => (r.Kind, r.Count, r.MicroAlgo)));
        Assert.True((await Grains.GetGrain<IMembership>(FanLoyaltyKey.For(creator, fan)).GetAsync()).IsActive);

        // An underpaid purchase is a tip, as before.
        await journal.ApplyAsync([Pay(creator, fan, 1_000_000, "MEMBERSHIP:BAUNI")]);
        Assert.Equal(2, (await PairAsync(creator, fan)).PaymentCount);
    }

    [Fact]
    public async Task A_consumer_that_throws_holds_back_only_its_own_payments_which_are_parked_with_the_reason_and_delivered_once_it_recovers()
    {
        var (creator, poisoned, other) = (NewWallet(), NewWallet(), NewWallet());
        var journal = Grains.GetGrain<ICreatorPayments>(creator);
        PoisonedMemberships.Poisoned = poisoned;

        await journal.AppendAsync([Pay(creator, poisoned, 5_000_000, "MEMBERSHIP:BAUNI"), Pay(creator, poisoned, 1_000_000), Pay(creator, other, 1_000_000)]);
        await journal.AppendAsync([Pay(creator, poisoned, 5_000_000, "MEMBERSHIP:BAUNI"), Pay(creator, poisoned, 1_000_000), Pay(creator, other, 1_000_000)]);

        // Both fans' tips reach loyalty while the membership consumer keeps failing.
        await ClusterHosts.EventuallyAsync(() => PairAsync(creator, other), p => p.PaymentCount == 2, TimeSpan.FromSeconds(15), "the other fan's tips");
        await ClusterHosts.EventuallyAsync(() => PairAsync(creator, poisoned), p => p.PaymentCount == 2, TimeSpan.FromSeconds(15), "the poisoned fan's own tips");
        var summary = await journal.GetSummaryAsync();
        var parked = Assert.Single(summary.Parked!);
        Assert.Equal(($"membership:{poisoned}", "membership"), (parked.Consumer, parked.Kind));
        Assert.Contains("membership store unavailable", parked.Reason, StringComparison.Ordinal);
        Assert.Equal(2, summary.Pending);
        Assert.Equal(0, (await Grains.GetGrain<IMembership>(FanLoyaltyKey.For(creator, poisoned)).GetAsync()).Purchases);
        var health = await ClusterHosts.EventuallyAsync(
            () => Grains.GetGrain<IPaymentHealth>(IPaymentHealth.Key).GetAsync(), h => h.Any(p => p.Creator == creator), TimeSpan.FromSeconds(10), "the parked report");
        Assert.Equal(1, health.Single(p => p.Creator == creator).Consumers);

        // Recovered: both purchases land in order, once each, and nothing stays parked.
        PoisonedMemberships.Poisoned = null;
        var done = await ClusterHosts.EventuallyAsync(journal.GetSummaryAsync, s => s.Pending == 0, TimeSpan.FromSeconds(30), "the parked purchases");
        Assert.Empty(done.Parked!);
        Assert.Equal(2, (await Grains.GetGrain<IMembership>(FanLoyaltyKey.For(creator, poisoned)).GetAsync()).Purchases);
        await ClusterHosts.EventuallyAsync(
            () => Grains.GetGrain<IPaymentHealth>(IPaymentHealth.Key).GetAsync(), h => h.All(p => p.Creator != creator), TimeSpan.FromSeconds(10), "the cleared report");
    }
}
