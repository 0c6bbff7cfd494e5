using FanForge.Grains.Memberships;
using FanForge.GrainInterfaces.Creators;
using FanForge.GrainInterfaces.Loyalty;
using FanForge.GrainInterfaces.Memberships;
using FanForge.GrainInterfaces.Merch;
using FanForge.GrainInterfaces.Notifications;
using FanForge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FanForge.Tests.Notifications;

/// <summary>Each source notifies once per event, through the real grains: the journal, the pair, the membership, the order.</summary>
[Collection(NotificationClusterCollection.Name)]
public sealed class NotificationSourceTests(NotificationClusterFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private static long round = 100;

    private IGrainFactory Grains => fixture.Cluster.Client;

    private ChainTip Tip(string creator, string fan, long micro, string memo = "gm") =>
        new(fan, creator, micro, memo, new ChainPosition((ulong)Interlocked.Increment(ref round), 0), $"TX-{Guid.NewGuid():N}", fixture.Time.GetUtcNow());

    private async Task<IReadOnlyList<Notification>> NotificationsAsync(string wallet) =>
        [.. (await Grains.GetGrain<INotificationInbox>(wallet).GetPageAsync(new NotificationQuery(200))).Items.Select(i => i.Notification)];

    /// <summary>Waits until the wallet holds <paramref name="count"/> notifications (sources hand them over after their own write).</summary>
    private Task<IReadOnlyList<Notification>> EventuallyAsync(string wallet, int count, string what) =>
        ClusterHosts.EventuallyAsync(() => NotificationsAsync(wallet), n => n.Count >= count, Patience, what);

    [Fact]
    public async Task A_batch_of_delivered_tips_is_one_creator_notification_and_a_redelivery_adds_none()
    {
        var (creator, fan1, fan2) = (NotificationClusterFixture.NewWallet(), NotificationClusterFixture.NewWallet(), NotificationClusterFixture.NewWallet());
        var journal = Grains.GetGrain<ICreatorPayments>(creator);
        List<ChainTip> tips = [Tip(creator, fan1, 1_000_000), Tip(creator, fan2, 2_500_000), Tip(creator, fan1, 500_000)];

        await journal.ApplyAsync(tips);
        var notice = Assert.Single(await EventuallyAsync(creator, 1, "the creator's tip notification"));
        var redelivered = await journal.AppendAsync(tips);
        await journal.ApplyAsync([Tip(creator, fan2, 700_000)]);
        var after = await EventuallyAsync(creator, 2, "the second batch's notification");

        Assert.Equal(0, redelivered);
        Assert.Equal((NotificationKinds.TipsReceived, NotificationAudience.Creator), (notice.Kind, notice.Audience));
        Assert.Equal($"tips:{creator}:{tips[^1].Position.Round}:0", notice.Id);
        var d = notice.Details;
        Assert.Equal((3, 2, 4_000_000L, tips[0].Position.Round, tips[^1].Position.Round), (d.Count, d.Fans, d.AmountMicroAlgo, d.FirstRound, d.LastRound));
        Assert.Null(d.Fan);
        Assert.Equal(2, after.Count);
        Assert.Equal((1, fan2, 700_000L), (after[0].Details.Count, after[0].Details.Fan, after[0].Details.AmountMicroAlgo));
        Assert.Empty(await NotificationsAsync(fan1)); // a tip tells the creator, not the fan
    }

    [Fact]
    public async Task A_minted_badge_tells_its_fan_once_with_the_asset()
    {
        var (creator, fan) = (NotificationClusterFixture.NewWallet(), NotificationClusterFixture.NewWallet());

        await Grains.GetGrain<ICreatorPayments>(creator).ApplyAsync([.. Enumerable.Range(0, 5).Select(_ => Tip(creator, fan, 1_000_000))]);
        var notice = Assert.Single(await EventuallyAsync(fan, 1, "the badge's notification"));
        var pair = await Grains.GetGrain<IFanLoyalty>(FanLoyaltyKey.For(creator, fan)).GetAsync();
        // The minter repeats its notice to the pair after a failure: recorded once, told once.
        await Grains.GetGrain<IFanLoyalty>(FanLoyaltyKey.For(creator, fan)).BadgeMintedAsync(1, (ulong)pair.LastBadgeAssetId!.Value);

        Assert.Equal((NotificationKinds.BadgeMinted, $"badge_minted:{creator}/{fan}/1"), (notice.Kind, notice.Id));
        Assert.Equal(((ulong?)pair.LastBadgeAssetId, (int?)1, creator), (notice.Details.AssetId, notice.Details.BadgeNumber, notice.Details.Creator));
        Assert.Single(await NotificationsAsync(fan));
    }

    [Fact]
    public async Task A_membership_tells_its_purchase_renewal_warning_and_expiry_each_once()
    {
        var (creator, fan) = (NotificationClusterFixture.NewWallet(), NotificationClusterFixture.NewWallet());
        var journal = Grains.GetGrain<ICreatorPayments>(creator);
        var membership = Grains.GetGrain<IMembership>(FanLoyaltyKey.For(creator, fan));
        var bought = Tip(creator, fan, 5_000_000, "MEMBERSHIP:BAUNI");

        await journal.ApplyAsync([bought]);
        var member = Assert.Single(await EventuallyAsync(creator, 1, "the creator's new member"));
        await EventuallyAsync(fan, 1, "the fan's purchase");
        fixture.Time.Advance(TimeSpan.FromDays(1));
        await journal.ApplyAsync([Tip(creator, fan, 5_000_000, "MEMBERSHIP:BAUNI")]);
        await EventuallyAsync(fan, 2, "the renewal");
        var expiresAt = (await membership.GetAsync()).ExpiresAt!.Value;
        Assert.Equal(bought.ConfirmedAt + TimeSpan.FromDays(60), expiresAt);

        fixture.Time.SetUtcNow(expiresAt - MembershipRules.ExpiryWarningLead - TimeSpan.FromSeconds(1));
        await membership.GetAsync();
        var beforeWarning = await NotificationsAsync(fan);
        fixture.Time.SetUtcNow(expiresAt - MembershipRules.ExpiryWarningLead);
        await membership.GetAsync();
        await membership.GetAsync();
        var warned = await EventuallyAsync(fan, 3, "the expiry warning");
        fixture.Time.SetUtcNow(expiresAt);
        await membership.GetAsync();
        var fanNotices = await EventuallyAsync(fan, 4, "the expiry");
        await membership.GetAsync();

        Assert.Equal((NotificationKinds.NewMember, $"new_member:{creator}/{fan}/1", fan), (member.Kind, member.Id, member.Details.Fan));
        Assert.Equal(2, beforeWarning.Count);
        Assert.Equal(
            [NotificationKinds.MembershipExpired, NotificationKinds.MembershipExpiring, NotificationKinds.MembershipRenewed, NotificationKinds.MembershipBought],
            fanNotices.Select(n => n.Kind));
        Assert.Equal($"membership:{creator}/{fan}/2/expiring", warned[0].Id);
        Assert.Equal(expiresAt, fanNotices[0].Details.ExpiresAt);
        Assert.Equal(4, (await NotificationsAsync(fan)).Count);
        Assert.Single(await NotificationsAsync(creator)); // a renewal is no new member
    }

    [Fact]
    public async Task The_membership_reminder_is_aimed_at_the_warning_before_the_expiry()
    {
        var (creator, fan) = (NotificationClusterFixture.NewWallet(), NotificationClusterFixture.NewWallet());
        var profile = Grains.GetGrain<ICreator>(creator);
        await profile.RegisterAsync(new RegisterCreator(null, 500_000));
        var schedule = await profile.SetPricingAsync(new PriceSettings(MembershipValidity: TimeSpan.FromDays(7)));
        var from = schedule.Schedule.Changes[^1].EffectiveFromRound;
        var payment = new ChainTip(fan, creator, 5_000_000, "MEMBERSHIP:BAUNI", new ChainPosition(from, 0), $"TX-{Guid.NewGuid():N}", fixture.Time.GetUtcNow());
        var membership = Grains.GetGrain<IMembership>(FanLoyaltyKey.For(creator, fan));

        await Grains.GetGrain<ICreatorPayments>(creator).ApplyAsync([payment]);
        // Once the Bauni NFT has landed the reminder stops retrying and waits for the next thing to do: the warning.
        await ClusterHosts.EventuallyAsync(membership.GetAsync, m => m.AssetId is not null, Patience, "the Bauni NFT");
        var reminders = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<IReminderTable>();
        var expected = DateTime.UtcNow + TimeSpan.FromDays(4);
        var reminder = await ClusterHosts.EventuallyAsync(
            () => reminders.ReadRow(membership.GetGrainId(), "membership"),
            r => r is not null && r.StartAt > DateTime.UtcNow + TimeSpan.FromDays(1),
            Patience,
            "the reminder armed for the warning");

        Assert.InRange(reminder!.StartAt, expected - TimeSpan.FromMinutes(1), expected + TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task An_order_tells_fan_and_creator_it_is_paid_once_and_its_fan_when_it_expires_or_is_refunded()
    {
        var (creator, fan) = (NotificationClusterFixture.NewWallet(), NotificationClusterFixture.NewWallet());
        var product = await Grains.GetGrain<ICreatorCatalog>(creator).CreateAsync(
            new ProductDraft($"tee-{Guid.NewGuid():N}"[..20], "Tee", null, null, 3_000_000, 10, MaxPerOrder: 5), null);
        async Task<IOrder> PlaceAsync()
        {
            var order = Grains.GetGrain<IOrder>(await Grains.GetGrain<IFanOrders>(fan).OpenAsync(null));
            await order.PlaceAsync(new PlaceOrder(creator, fan, [new CartLine(product.Id, 1)], []));
            return order;
        }

        var paid = await PlaceAsync();
        var placed = (await paid.GetAsync())!;
        var payment = new ChainTip(fan, creator, placed.TotalMicroAlgo, placed.Memo, new ChainPosition((ulong)Interlocked.Increment(ref round), 0), "ORDER-TX", fixture.Time.GetUtcNow());
        await paid.ApplyPaymentAsync(payment);
        await paid.ApplyPaymentAsync(payment);
        var fanPaid = Assert.Single(await EventuallyAsync(fan, 1, "the fan's paid order"));
        var creatorPaid = Assert.Single(await EventuallyAsync(creator, 1, "the creator's paid order"));

        var refunded = await PlaceAsync();
        await refunded.ApplyCardEventAsync(new CardEvent("evt_refund", CardEventKind.Refunded, null, "pi_1", 300, "usd", null, FullRefund: true, fixture.Time.GetUtcNow()));
        await EventuallyAsync(fan, 2, "the refund");

        var expired = await PlaceAsync();
        fixture.Time.Advance(TimeSpan.FromMinutes(1));
        var fanNotices = await EventuallyAsync(fan, 3, "the expiry (by the order's reminder)");

        Assert.Equal(($"order_paid:{placed.Id}", NotificationAudience.Fan, "ORDER-TX"), (fanPaid.Id, fanPaid.Audience, fanPaid.Details.TxId));
        Assert.Equal(($"order_paid:{placed.Id}", NotificationAudience.Creator, placed.TotalMicroAlgo), (creatorPaid.Id, creatorPaid.Audience, creatorPaid.Details.AmountMicroAlgo));
        Assert.Equal(
            [($"order_expired:{expired.GetPrimaryKeyLong()}", NotificationKinds.OrderExpired), ($"order_refunded:{refunded.GetPrimaryKeyLong()}", NotificationKinds.OrderRefunded)],
            fanNotices.Take(2).Select(n => (n.Id, n.Kind)));
        Assert.Single(await NotificationsAsync(creator)); // expiry and refund tell the fan only
    }
}
