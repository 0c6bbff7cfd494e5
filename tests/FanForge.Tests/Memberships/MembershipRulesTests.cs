using FanForge.Grains.Memberships;

namespace FanForge.Tests.Memberships;

public sealed class MembershipRulesTests
{
    private static readonly DateTimeOffset Paid = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Month = TimeSpan.FromDays(30);

    [Fact]
    public void A_first_purchase_runs_from_the_payment()
    {
        Assert.Equal(Paid + Month, MembershipRules.Extend(null, Paid, Month));
    }

    [Fact]
    public void A_renewal_before_expiry_extends_from_the_current_expiry()
    {
        var expiry = Paid.AddDays(10);
        Assert.Equal(expiry + Month, MembershipRules.Extend(expiry, Paid, Month));
    }

    [Fact]
    public void A_purchase_after_a_lapse_starts_afresh_from_the_payment()
    {
        Assert.Equal(Paid + Month, MembershipRules.Extend(Paid.AddDays(-3), Paid, Month));
        Assert.Equal(Paid + Month, MembershipRules.Extend(Paid, Paid, Month));
    }

    [Fact]
    public void Active_strictly_before_the_expiry_instant()
    {
        var expiry = Paid + Month;
        Assert.True(MembershipRules.IsActive(expiry, expiry.AddTicks(-1)));
        Assert.False(MembershipRules.IsActive(expiry, expiry));
        Assert.False(MembershipRules.IsActive(null, Paid));
    }

    [Theory]
    [InlineData(0, 30)]
    [InlineData(1, 29)] // 29 days 23 h 59 min 59 s left: floor
    [InlineData(86_400 * 30 - 1, 0)]
    [InlineData(86_400 * 30, 0)]
    [InlineData(86_400 * 40, 0)]
    public void Days_remaining_are_whole_days_left_and_never_negative(int secondsAfterPayment, int days)
    {
        Assert.Equal(days, MembershipRules.DaysRemaining(Paid + Month, Paid.AddSeconds(secondsAfterPayment)));
    }

    [Fact]
    public void The_reminder_is_due_at_the_expiry_but_never_beyond_the_longest_wait()
    {
        Assert.Equal(TimeSpan.FromDays(2), MembershipRules.ReminderDue(Paid.AddDays(2), Paid));
        Assert.Equal(MembershipRules.LongestReminderWait, MembershipRules.ReminderDue(Paid.AddDays(60), Paid));
        Assert.Equal(TimeSpan.Zero, MembershipRules.ReminderDue(Paid.AddDays(-1), Paid));
    }
}
