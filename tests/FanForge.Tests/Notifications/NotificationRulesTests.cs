using FanForge.Api.Notifications;
using FanForge.Grains.Memberships;
using FanForge.Grains.Notifications;
using FanForge.GrainInterfaces.Errors;
using FanForge.GrainInterfaces.Loyalty;
using FanForge.GrainInterfaces.Notifications;

namespace FanForge.Tests.Notifications;

/// <summary>The pure parts: when to warn of an expiry, the notifications' ids, the cursor and the messages.</summary>
public sealed class NotificationRulesTests
{
    private static readonly DateTimeOffset Paid = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly string Creator = new string('C', 58);
    private static readonly string FanA = new string('A', 58);
    private static readonly string FanB = new string('B', 58);

    [Fact]
    public void The_warning_is_three_days_before_the_expiry_unless_that_is_not_after_the_purchase()
    {
        Assert.Equal(Paid.AddDays(27), MembershipRules.ExpiryWarningAt(Paid.AddDays(30), Paid));
        Assert.Equal(Paid.AddDays(1), MembershipRules.ExpiryWarningAt(Paid.AddDays(4), Paid));
        Assert.Null(MembershipRules.ExpiryWarningAt(Paid.AddDays(3), Paid)); // a three-day term: the purchase said when it ends
        Assert.Null(MembershipRules.ExpiryWarningAt(Paid.AddDays(1), Paid));
    }

    [Fact]
    public void The_warning_is_due_from_its_moment_while_active_and_never_once_expired()
    {
        var (warnAt, expiresAt) = (Paid.AddDays(27), Paid.AddDays(30));

        Assert.False(MembershipRules.ExpiryWarningDue(warnAt, expiresAt, warnAt - TimeSpan.FromTicks(1)));
        Assert.True(MembershipRules.ExpiryWarningDue(warnAt, expiresAt, warnAt));
        Assert.True(MembershipRules.ExpiryWarningDue(warnAt, expiresAt, expiresAt - TimeSpan.FromTicks(1)));
        Assert.False(MembershipRules.ExpiryWarningDue(warnAt, expiresAt, expiresAt));
        Assert.False(MembershipRules.ExpiryWarningDue(null, expiresAt, warnAt));
    }

    [Fact]
    public void The_reminder_aims_at_the_warning_first_then_the_expiry_never_beyond_the_longest_wait()
    {
        var expiresAt = Paid.AddDays(30);

        Assert.Equal(MembershipRules.LongestReminderWait, MembershipRules.ReminderDue(expiresAt, Paid.AddDays(27), Paid));
        Assert.Equal(TimeSpan.FromDays(2), MembershipRules.ReminderDue(expiresAt, Paid.AddDays(27), Paid.AddDays(25)));
        Assert.Equal(TimeSpan.FromDays(3), MembershipRules.ReminderDue(expiresAt, null, Paid.AddDays(27)));
        Assert.Equal(TimeSpan.Zero, MembershipRules.ReminderDue(expiresAt, Paid.AddDays(27), Paid.AddDays(28)));
    }

    [Fact]
    public void A_tip_batch_is_identified_by_its_last_position_and_sums_its_tips()
    {
        List<ChainTip> tips =
        [
            new(FanA, Creator, 1_000_000, "", new ChainPosition(10, 3), "T1", Paid),
            new(FanB, Creator, 2_000_000, "", new ChainPosition(12, 1), "T2", Paid),
            new(FanA, Creator, 500_000, "", new ChainPosition(11, 0), "T3", Paid),
        ];

        var batch = NotificationFactory.TipsReceived(Creator, tips, Paid);
        var single = NotificationFactory.TipsReceived(Creator, [tips[0]], Paid);

        Assert.Equal(($"tips:{Creator}:12:1", Creator, NotificationAudience.Creator), (batch.Id, batch.Wallet, batch.Audience));
        Assert.Equal((3, 2, 3_500_000L, 10UL, 12UL, (string?)null), (batch.Details.Count, batch.Details.Fans, batch.Details.AmountMicroAlgo,
            batch.Details.FirstRound, batch.Details.LastRound, batch.Details.Fan));
        Assert.Equal(($"tips:{Creator}:10:3", FanA), (single.Id, single.Details.Fan));
        Assert.Throws<ArgumentOutOfRangeException>(() => NotificationFactory.TipsReceived(Creator, [], Paid));
    }

    [Fact]
    public void Each_event_has_one_id_whoever_builds_it_and_a_purchase_tells_the_creator_only_of_a_new_term()
    {
        var bought = NotificationFactory.MembershipPurchased(Creator, FanA, 1, 1, renewal: false, Paid.AddDays(30), "TX", Paid);
        var renewed = NotificationFactory.MembershipPurchased(Creator, FanA, 2, 1, renewal: true, Paid.AddDays(60), "TX2", Paid);
        var paid = NotificationFactory.OrderPaid(42, Creator, FanA, 3_000_000, "TX", Paid);

        Assert.Equal([($"membership:{Creator}/{FanA}/1/bought", FanA), ($"new_member:{Creator}/{FanA}/1", Creator)], bought.Select(n => (n.Id, n.Wallet)));
        Assert.Equal([(NotificationKinds.MembershipRenewed, FanA)], renewed.Select(n => (n.Kind, n.Wallet)));
        Assert.Equal([("order_paid:42", FanA, NotificationAudience.Fan), ("order_paid:42", Creator, NotificationAudience.Creator)],
            paid.Select(n => (n.Id, n.Wallet, n.Audience)));
        Assert.Equal(NotificationFactory.BadgeMinted(Creator, FanA, 3, 77, Paid).Id, NotificationFactory.BadgeMinted(Creator, FanA, 3, 77, Paid.AddDays(1)).Id);
        Assert.Equal($"payout_sent:{Creator}/p-7", NotificationFactory.PayoutSent(Creator, "p-7", 9_000_000, "TX", Paid).Id);
    }

    [Theory]
    [InlineData(1L)]
    [InlineData(200L)]
    [InlineData(long.MaxValue)]
    public void A_cursor_round_trips(long sequence) => Assert.Equal(sequence, NotificationCursor.Parse(NotificationCursor.Format(sequence)));

    [Theory]
    [InlineData("")]
    [InlineData("bjEuMA")] // n1.0
    [InlineData("bjEuLTE")] // n1.-1
    [InlineData("bjIuNQ")] // n2.5
    [InlineData("bjEuNQ==")] // n1.5 with padding: not the form issued
    [InlineData("not base64!")]
    public void A_cursor_not_issued_here_is_invalid_cursor(string cursor)
    {
        var refused = Assert.Throws<DomainException>(() => NotificationCursor.Parse(cursor));

        Assert.Equal((DomainErrorKind.Validation, ErrorCodes.InvalidCursor), (refused.Kind, refused.Code));
    }

    [Fact]
    public void Messages_say_the_facts_of_each_kind()
    {
        var tips = NotificationFactory.TipsReceived(Creator, [new(FanA, Creator, 1_500_000, "", new ChainPosition(1, 0), "T", Paid),
            new(FanB, Creator, 1_000_000, "", new ChainPosition(1, 1), "U", Paid)], Paid);
        var paid = NotificationFactory.OrderPaid(42, Creator, FanA, 3_000_000, null, Paid);

        Assert.Equal("2 new tips from 2 fans: 2.5 ALGO", NotificationItem.MessageOf(tips));
        Assert.Equal("Your order #42 is paid", NotificationItem.MessageOf(paid[0]));
        Assert.Equal("Order #42 was paid: 3 ALGO", NotificationItem.MessageOf(paid[1]));
        Assert.Equal("Your Bauni membership of CCCCCC…CCCC ends on 2026-03-31 12:00 UTC",
            NotificationItem.MessageOf(NotificationFactory.MembershipExpiring(Creator, FanA, 1, Paid.AddDays(30), Paid)));
    }
}
