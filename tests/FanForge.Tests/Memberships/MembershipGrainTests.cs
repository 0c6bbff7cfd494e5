using FanForge.Grains;
using FanForge.GrainInterfaces.Creators;
using FanForge.GrainInterfaces.Loyalty;
using FanForge.GrainInterfaces.Memberships;
using FanForge.GrainInterfaces.Nfts;
using FanForge.Silo;
using FanForge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace FanForge.Tests.Memberships;

/// <summary>A cluster of its own: these tests move the clock, and one creator has its own price and validity.</summary>
public sealed class MembershipClusterFixture : IAsyncLifetime
{
    public static readonly string DiscountCreator = new TestWallet(230).Address;

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero));

    public InProcessTestCluster Cluster { get; private set; } = null!;

    /// <summary>The round from which <see cref="DiscountCreator"/>'s own prices apply.</summary>
    public ulong DiscountFromRound { get; private set; }

    public async Task InitializeAsync()
    {
        Cluster = await TestClusters.StartAsync(1, new AlgorandSettings(), services => services.AddSingleton(new BusinessClock(Time)));
        var creator = Cluster.Client.GetGrain<ICreator>(DiscountCreator);
        await creator.RegisterAsync(new RegisterCreator(null, 500_000));
        var schedule = await creator.SetPricingAsync(new PriceSettings(MembershipPriceMicroAlgo: 1_000_000, MembershipValidity: TimeSpan.FromDays(7)));
        DiscountFromRound = schedule.Schedule.Changes[^1].EffectiveFromRound;
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

public sealed class MembershipGrainTests(MembershipClusterFixture fixture) : IClassFixture<MembershipClusterFixture>
{
    private static int walletSeed = 231;
    private static readonly TimeSpan Month = TimeSpan.FromDays(30);
    private ulong round = 1;

    private static string NewWallet() => new TestWallet((byte)Interlocked.Increment(ref walletSeed)).Address;

    private IGrainFactory Grains => fixture.Cluster.Client;

    private ChainTip Payment(string creator, string fan, long micro = 5_000_000, string memo = "MEMBERSHIP:BAUNI") =>
        new(fan, creator, micro, memo, new ChainPosition(round++, 0), $"BAUNI-{fan[..6]}-{round}-{Guid.NewGuid():N}", fixture.Time.GetUtcNow());

    private ChainTip PaymentIn(ulong inRound, string creator, string fan, long micro, ulong offset = 0) =>
        new(fan, creator, micro, "MEMBERSHIP:BAUNI", new ChainPosition(inRound, offset), $"BAUNI-{fan[..6]}-{inRound}-{Guid.NewGuid():N}", fixture.Time.GetUtcNow());

    private Task<int> PayAsync(ChainTip payment) => Grains.GetGrain<ICreatorPayments>(payment.Creator).ApplyAsync([payment]);

    private Task<MembershipView> MembershipAsync(string creator, string fan) =>
        Grains.GetGrain<IMembership>(FanLoyaltyKey.For(creator, fan)).GetAsync();

    private Task<CreatorMemberCount> MembersAsync(string creator) => Grains.GetGrain<ICreatorMembers>(creator).GetAsync();

    [Fact]
    public async Task A_paid_membership_is_active_until_the_payment_plus_thirty_days()
    {
        var (creator, fan) = (NewWallet(), NewWallet());
        var payment = Payment(creator, fan);

        await PayAsync(payment);

        var membership = await MembershipAsync(creator, fan);
        Assert.True(membership.IsActive);
        Assert.Equal(payment.ConfirmedAt + Month, membership.ExpiresAt);
        Assert.Equal((1, 5_000_000L, 30), (membership.Purchases, membership.LastPaidMicroAlgo, membership.DaysRemaining));
        Assert.Equal(new CreatorMemberCount(1, 1, 0), await MembersAsync(creator));
        // A membership purchase is the creator's membership revenue, not a tip: the pair never sees it.
        var pair = await Grains.GetGrain<IFanLoyalty>(FanLoyaltyKey.For(creator, fan)).GetAsync();
        Assert.Equal((0, 0), (pair.PaymentCount, pair.ButkiTipCount));
        var revenue = (await Grains.GetGrain<ICreatorPayments>(creator).GetSummaryAsync()).Revenue!.Single(r => r.Kind == "membership");
        Assert.Equal((1, 5_000_000L), (revenue.Count, revenue.MicroAlgo));
    }

    [Fact]
    public async Task Renewal_before_expiry_extends_from_the_expiry_and_after_a_lapse_from_the_payment()
    {
        var (creator, fan) = (NewWallet(), NewWallet());
        var first = Payment(creator, fan);
        await PayAsync(first);

        fixture.Time.Advance(TimeSpan.FromDays(10));
        await PayAsync(Payment(creator, fan));
        Assert.Equal(first.ConfirmedAt + Month + Month, (await MembershipAsync(creator, fan)).ExpiresAt);

        fixture.Time.Advance(TimeSpan.FromDays(60)); // lapsed 10 days ago
        var lapsed = await MembershipAsync(creator, fan);
        Assert.False(lapsed.IsActive);
        Assert.Equal(new CreatorMemberCount(0, 1, 1), await MembersAsync(creator));

        var comeback = Payment(creator, fan);
        await PayAsync(comeback);
        var renewed = await MembershipAsync(creator, fan);
        Assert.True(renewed.IsActive);
        Assert.Equal(comeback.ConfirmedAt + Month, renewed.ExpiresAt);
        Assert.Equal((3, 15_000_000L), (renewed.Purchases, renewed.TotalPaidMicroAlgo));
        Assert.Equal(new CreatorMemberCount(1, 1, 1), await MembersAsync(creator));
    }

    [Fact]
    public async Task Access_ends_at_the_exact_expiry_instant_even_before_any_reminder_ran()
    {
        var (creator, fan) = (NewWallet(), NewWallet());
        var payment = Payment(creator, fan);
        await PayAsync(payment);

        fixture.Time.SetUtcNow(payment.ConfirmedAt + Month - TimeSpan.FromTicks(1));
        Assert.True((await MembershipAsync(creator, fan)).IsActive);

        fixture.Time.SetUtcNow(payment.ConfirmedAt + Month);
        var expired = await MembershipAsync(creator, fan);
        Assert.False(expired.IsActive);
        Assert.Equal(0, expired.DaysRemaining);
        Assert.Equal(new CreatorMemberCount(0, 1, 1), await MembersAsync(creator));
    }

    [Fact]
    public async Task A_purchase_delivered_again_and_directly_is_applied_and_minted_once()
    {
        var (creator, fan) = (NewWallet(), NewWallet());
        var payment = Payment(creator, fan);

        await PayAsync(payment);
        await PayAsync(payment);
        await Grains.GetGrain<IFanLoyalty>(FanLoyaltyKey.For(creator, fan)).ApplyAsync([new PricedTip(payment, CountsForButki: false)]);
        await Grains.GetGrain<IMembership>(FanLoyaltyKey.For(creator, fan)).ApplyPurchaseAsync(payment);

        var membership = await ClusterHosts.EventuallyAsync(
            () => MembershipAsync(creator, fan), m => m.AssetId is not null, TimeSpan.FromSeconds(10), "the Bauni NFT");
        Assert.Equal(payment.ConfirmedAt + Month, membership.ExpiresAt);
        Assert.Equal(1, membership.Purchases);
        var nfts = await Grains.GetGrain<IFanNfts>(fan).GetAllAsync();
        var bauni = Assert.Single(nfts);
        Assert.Equal((membership.AssetId!.Value, "bauni", "soulbound"), (bauni.AssetId, bauni.NftClass, bauni.StickerType));
        Assert.Equal(new CreatorMemberCount(1, 1, 0), await MembersAsync(creator));
    }

    [Fact]
    public async Task A_renewal_keeps_the_one_bauni_nft()
    {
        var (creator, fan) = (NewWallet(), NewWallet());
        await PayAsync(Payment(creator, fan));
        var first = await ClusterHosts.EventuallyAsync(
            () => MembershipAsync(creator, fan), m => m.AssetId is not null, TimeSpan.FromSeconds(10), "the Bauni NFT");

        await PayAsync(Payment(creator, fan));

        Assert.Equal(first.AssetId, (await MembershipAsync(creator, fan)).AssetId);
        Assert.Single(await Grains.GetGrain<IFanNfts>(fan).GetAllAsync());
    }

    [Fact]
    public async Task An_underpaid_membership_is_recorded_as_a_plain_tip()
    {
        var (creator, fan) = (NewWallet(), NewWallet());

        await PayAsync(Payment(creator, fan, micro: 4_999_999));

        Assert.Equal(0, (await MembershipAsync(creator, fan)).Purchases);
        var pair = await Grains.GetGrain<IFanLoyalty>(FanLoyaltyKey.For(creator, fan)).GetAsync();
        Assert.Equal((1, 1, 4_999_999L), (pair.PaymentCount, pair.ButkiTipCount, pair.ButkiMicroAlgo));
    }

    [Fact]
    public async Task A_creator_with_its_own_price_and_validity_sells_on_its_terms()
    {
        var fan = NewWallet();
        var payment = PaymentIn(fixture.DiscountFromRound, MembershipClusterFixture.DiscountCreator, fan, micro: 1_000_000);

        await PayAsync(payment);

        var membership = await MembershipAsync(MembershipClusterFixture.DiscountCreator, fan);
        Assert.True(membership.IsActive);
        Assert.Equal(payment.ConfirmedAt + TimeSpan.FromDays(7), membership.ExpiresAt);
        Assert.Equal((1_000_000L, TimeSpan.FromDays(7)), (membership.PriceMicroAlgo, membership.Validity));
    }

    [Fact]
    public async Task A_price_change_applies_to_payments_of_later_rounds_and_not_to_an_earlier_one_processed_after_it()
    {
        var creator = new TestWallet(229).Address;
        var (early, late) = (NewWallet(), NewWallet());
        var grain = Grains.GetGrain<ICreator>(creator);
        await grain.RegisterAsync(new RegisterCreator(null, 500_000));

        // The pipeline has priced round 1000 already: a change can only take effect after it (and after the chain's round).
        await PayAsync(PaymentIn(1000, creator, NewWallet(), 5_000_000));
        var schedule = await grain.SetPricingAsync(new PriceSettings(MembershipPriceMicroAlgo: 8_000_000, MembershipValidity: TimeSpan.FromDays(10)));
        var from = schedule.Schedule.Changes[^1].EffectiveFromRound;
        var again = await grain.SetPricingAsync(new PriceSettings(MembershipPriceMicroAlgo: 8_000_000));
        Assert.True(from > 1000, $"effective from {from}");
        Assert.Equivalent(schedule.Schedule.Changes, again.Schedule.Changes, strict: true);

        // Confirmed in round 1000, before the change, but processed after it: the old price and validity.
        var before = PaymentIn(1000, creator, early, 5_000_000, offset: 1);
        await PayAsync(before);
        var earlier = await MembershipAsync(creator, early);
        Assert.Equal((1, before.ConfirmedAt + Month), (earlier.Purchases, earlier.ExpiresAt));
        Assert.Equal((8_000_000L, TimeSpan.FromDays(10)), (earlier.PriceMicroAlgo, earlier.Validity));

        // From the change's round on, 5 ALGO is short of the price (a plain tip) and 8 ALGO buys ten days.
        await PayAsync(PaymentIn(from, creator, late, 5_000_000));
        Assert.Equal(0, (await MembershipAsync(creator, late)).Purchases);
        var bought = PaymentIn(from + 1, creator, late, 8_000_000);
        await PayAsync(bought);
        Assert.Equal(bought.ConfirmedAt + TimeSpan.FromDays(10), (await MembershipAsync(creator, late)).ExpiresAt);
        Assert.Equal(1, (await Grains.GetGrain<IFanLoyalty>(FanLoyaltyKey.For(creator, late)).GetAsync()).PaymentCount);
    }

    [Fact]
    public async Task A_repeated_count_notice_is_counted_once()
    {
        var (creator, fan) = (NewWallet(), NewWallet());
        var members = Grains.GetGrain<ICreatorMembers>(creator);

        await members.ChangedAsync(fan, 1, active: true);
        await members.ChangedAsync(fan, 1, active: true);
        await members.ChangedAsync(fan, 1, active: false);
        await members.ChangedAsync(fan, 1, active: false);
        await members.ChangedAsync(fan, 2, active: true);

        Assert.Equal(new CreatorMemberCount(1, 1, 1), await members.GetAsync());
    }
}
