using FanForge.Grains.Payouts;
using FanForge.GrainInterfaces.Errors;
using FanForge.GrainInterfaces.Payouts;

namespace FanForge.Tests.Payouts;

public sealed class PayoutRulesTests
{
    private static readonly PayoutSchedule Weekly = new(PayoutMode.Weekly);
    private static readonly PayoutSchedule FiveAlgo = new(PayoutMode.Threshold, 5_000_000);

    // Wednesday of ISO week 2026-W02 (Monday 5 January to Sunday 11 January 2026).
    private static readonly DateTimeOffset Wednesday = new(2026, 1, 7, 15, 0, 0, TimeSpan.Zero);

    private static bool NoneSettled(string period) => false;

    [Theory]
    [InlineData(PayoutMode.Off, null)]
    [InlineData(PayoutMode.Weekly, null)]
    [InlineData(PayoutMode.Threshold, 1_000_000L)]
    [InlineData(PayoutMode.Threshold, 1_000_000_000_000L)]
    public void Valid_schedules_pass(PayoutMode mode, long? threshold) => PayoutRules.Validate(new PayoutSchedule(mode, threshold));

    [Theory]
    [InlineData(PayoutMode.Threshold, null)]
    [InlineData(PayoutMode.Threshold, 999_999L)]
    [InlineData(PayoutMode.Threshold, 1_000_000_000_001L)]
    [InlineData(PayoutMode.Weekly, 5_000_000L)]
    [InlineData(PayoutMode.Off, 5_000_000L)]
    [InlineData((PayoutMode)7, null)]
    public void Out_of_range_schedules_are_invalid_payout_schedule(PayoutMode mode, long? threshold)
    {
        var error = Assert.Throws<DomainException>(() => PayoutRules.Validate(new PayoutSchedule(mode, threshold)));

        Assert.Equal((DomainErrorKind.Validation, PayoutErrors.InvalidPayoutSchedule), (error.Kind, error.Code));
    }

    [Theory]
    [InlineData("2026-01-05T00:00:00Z", "2026-W02")] // a Monday starts the week
    [InlineData("2026-01-11T23:59:59Z", "2026-W02")]
    [InlineData("2026-01-12T00:00:00Z", "2026-W03")]
    [InlineData("2027-01-01T12:00:00Z", "2026-W53")] // 2026 has 53 ISO weeks; 1 January 2027 is in its last
    [InlineData("2025-12-29T00:00:00Z", "2026-W01")] // and this Monday of December starts 2026's first
    public void Periods_are_iso_weeks_in_utc(string at, string week) => Assert.Equal(week, PayoutRules.IsoWeek(DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void A_week_is_due_from_the_week_after_the_schedule_was_set_once_until_it_is_settled()
    {
        Assert.Null(PayoutRules.DuePeriod(Weekly, Wednesday, Wednesday, 0, NoneSettled));
        Assert.Null(PayoutRules.DuePeriod(Weekly, Wednesday, new DateTimeOffset(2026, 1, 11, 23, 59, 59, TimeSpan.Zero), 0, NoneSettled));

        var monday = new DateTimeOffset(2026, 1, 12, 0, 0, 1, TimeSpan.Zero);
        Assert.Equal("2026-W03", PayoutRules.DuePeriod(Weekly, Wednesday, monday, 0, NoneSettled));
        Assert.Equal("2026-W03", PayoutRules.DuePeriod(Weekly, Wednesday, monday.AddDays(6), 0, NoneSettled));
        Assert.Null(PayoutRules.DuePeriod(Weekly, Wednesday, monday.AddDays(6), 0, period => period == "2026-W03"));
        Assert.Equal("2026-W04", PayoutRules.DuePeriod(Weekly, Wednesday, monday.AddDays(7), 0, period => period == "2026-W03"));
    }

    [Fact]
    public void A_schedule_set_again_in_a_settled_week_does_not_make_it_due_again()
    {
        var setAgain = new DateTimeOffset(2026, 1, 14, 9, 0, 0, TimeSpan.Zero);

        // Set again in W03 after W03 was paid: nothing before W04.
        Assert.Null(PayoutRules.DuePeriod(Weekly, setAgain, setAgain.AddHours(1), 0, period => period == "2026-W03"));
        Assert.Equal("2026-W04", PayoutRules.DuePeriod(Weekly, setAgain, setAgain.AddDays(5), 0, period => period == "2026-W03"));
    }

    [Fact]
    public void Threshold_periods_count_the_payouts_made_and_off_is_never_due()
    {
        Assert.Equal("threshold-1", PayoutRules.DuePeriod(FiveAlgo, Wednesday, Wednesday, 0, NoneSettled));
        Assert.Equal("threshold-4", PayoutRules.DuePeriod(FiveAlgo, Wednesday, Wednesday, 3, NoneSettled));
        Assert.Null(PayoutRules.DuePeriod(new PayoutSchedule(PayoutMode.Off), Wednesday, Wednesday.AddDays(30), 0, NoneSettled));
    }

    [Theory]
    [InlineData(4_999_999L, PayoutDecision.Wait)]
    [InlineData(5_000_000L, PayoutDecision.Pay)]
    [InlineData(80_000_000L, PayoutDecision.Pay)]
    public void A_threshold_pays_only_from_the_threshold_above_the_minimum_balance(long available, PayoutDecision decision) =>
        Assert.Equal(decision, PayoutRules.Decide(FiveAlgo, available));

    [Theory]
    [InlineData(0L, PayoutDecision.NothingToPay)]
    [InlineData(99_999L, PayoutDecision.NothingToPay)]
    [InlineData(100_000L, PayoutDecision.Pay)]
    public void A_weekly_period_below_the_smallest_payout_pays_nothing(long available, PayoutDecision decision) =>
        Assert.Equal(decision, PayoutRules.Decide(Weekly, available));

    [Theory]
    [InlineData(5_100_000UL, 100_000UL, 5_000_000L)]
    [InlineData(100_000UL, 100_000UL, 0L)]
    [InlineData(50_000UL, 100_000UL, 0L)]
    public void Available_is_the_balance_above_the_minimum_balance(ulong balance, ulong minBalance, long available) =>
        Assert.Equal(available, PayoutRules.Available(balance, minBalance));

    [Fact]
    public void A_period_has_one_record_updated_in_place_and_the_oldest_are_dropped()
    {
        static PayoutRecord Row(string period, string status) =>
            new(period, PayoutMode.Weekly, status, 1, 7, null, null, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, null);

        var rows = PayoutRules.Upsert([Row("2026-W01", PayoutStatus.Paid), Row("2026-W02", PayoutStatus.UpgradeRequired)], Row("2026-W03", PayoutStatus.Pending), keep: 3);
        rows = PayoutRules.Upsert(rows, Row("2026-W02", PayoutStatus.Paid), keep: 3);
        Assert.Equal([("2026-W01", "paid"), ("2026-W02", "paid"), ("2026-W03", "pending")], rows.Select(r => (r.Period, r.Status)));

        rows = PayoutRules.Upsert(rows, Row("2026-W04", PayoutStatus.NothingToPay), keep: 3);
        Assert.Equal(["2026-W02", "2026-W03", "2026-W04"], rows.Select(r => r.Period));
    }

    [Fact]
    public void Only_paid_and_nothing_to_pay_settle_a_period()
    {
        Assert.Equal(
            [PayoutStatus.Paid, PayoutStatus.NothingToPay],
            new[] { PayoutStatus.Pending, PayoutStatus.Paid, PayoutStatus.UpgradeRequired, PayoutStatus.NothingToPay, PayoutStatus.Failed }.Where(PayoutStatus.IsFinal));
    }
}
