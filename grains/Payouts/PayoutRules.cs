using System.Globalization;
using FanForge.GrainInterfaces.Errors;
using FanForge.GrainInterfaces.Payouts;

namespace FanForge.Grains.Payouts;

/// <summary>What a check decides once a period is due, from what the app can give.</summary>
public enum PayoutDecision
{
    /// <summary>Not yet: a threshold the app has not reached.</summary>
    Wait,

    /// <summary>A weekly period with less than <see cref="PayoutRules.MinimumPayoutMicroAlgo"/> to give: settled, nothing sent.</summary>
    NothingToPay,

    /// <summary>Withdraw everything above the app's minimum balance.</summary>
    Pay,
}

/// <summary>The rules of scheduled payouts, pure (no grain, clock or I/O).</summary>
public static class PayoutRules
{
    /// <summary>Smallest threshold: 1 ALGO, so a payout always moves far more than the platform's fee for it.</summary>
    public const long MinThresholdMicroAlgo = 1_000_000;

    /// <summary>Largest threshold: 1,000,000 ALGO.</summary>
    public const long MaxThresholdMicroAlgo = 1_000_000_000_000;

    /// <summary>
    /// A weekly period with less than this (0.1 ALGO) above the app's minimum balance pays nothing: the platform's fee
    /// for the call would be a large share of it. The tips wait for the next week.
    /// </summary>
    public const long MinimumPayoutMicroAlgo = 100_000;

    private const string ThresholdPrefix = "threshold-";

    /// <summary>Refuses a schedule the grain cannot run: 400 <c>invalid_payout_schedule</c>.</summary>
    public static void Validate(PayoutSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        switch (schedule.Mode)
        {
            case PayoutMode.Off or PayoutMode.Weekly when schedule.ThresholdMicroAlgo is not null:
                throw Invalid("threshold_algo is only for mode \"threshold\".");
            case PayoutMode.Off or PayoutMode.Weekly:
                return;
            case PayoutMode.Threshold when schedule.ThresholdMicroAlgo is not ({ } threshold and >= MinThresholdMicroAlgo and <= MaxThresholdMicroAlgo):
                throw Invalid("threshold_algo must be 1 to 1,000,000 ALGO with mode \"threshold\".");
            case PayoutMode.Threshold:
                return;
            default:
                throw Invalid("mode must be \"weekly\", \"threshold\" or \"off\".");
        }
    }

    /// <summary>The ISO week (UTC) <paramref name="at"/> falls in, as a period key: <c>2026-W03</c>.</summary>
    public static string IsoWeek(DateTimeOffset at)
    {
        var day = at.UtcDateTime;
        return string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(day)}-W{ISOWeek.GetWeekOfYear(day):00}");
    }

    /// <summary>The key of the threshold payout after <paramref name="thresholdPayoutsMade"/> paid ones.</summary>
    public static string ThresholdPeriod(long thresholdPayoutsMade) =>
        string.Create(CultureInfo.InvariantCulture, $"{ThresholdPrefix}{thresholdPayoutsMade + 1}");

    /// <summary>
    /// The period a check at <paramref name="now"/> would pay, or null when none is due. Weekly: the ISO week of
    /// <paramref name="now"/>, once the schedule has lived into a later week than the one it was set in (<paramref
    /// name="since"/>), and only while that week is not settled; so re-setting the schedule never pays a week twice.
    /// Threshold: always the next threshold period (whether it pays depends on the balance, <see cref="Decide"/>).
    /// </summary>
    public static string? DuePeriod(
        PayoutSchedule schedule, DateTimeOffset since, DateTimeOffset now, long thresholdPayoutsMade, Func<string, bool> isSettled)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(isSettled);
        var period = schedule.Mode switch
        {
            PayoutMode.Weekly when IsoWeek(now) is var week && week != IsoWeek(since) && now > since => week,
            PayoutMode.Threshold => ThresholdPeriod(thresholdPayoutsMade),
            _ => null,
        };
        return period is not null && !isSettled(period) ? period : null;
    }

    /// <summary>
    /// What to do with a due period when the app holds <paramref name="availableMicroAlgo"/> above its minimum balance
    /// (what <c>withdraw</c> can move).
    /// </summary>
    public static PayoutDecision Decide(PayoutSchedule schedule, long availableMicroAlgo)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return schedule.Mode switch
        {
            PayoutMode.Threshold => availableMicroAlgo >= schedule.ThresholdMicroAlgo ? PayoutDecision.Pay : PayoutDecision.Wait,
            PayoutMode.Weekly => availableMicroAlgo >= MinimumPayoutMicroAlgo ? PayoutDecision.Pay : PayoutDecision.NothingToPay,
            _ => PayoutDecision.Wait,
        };
    }

    /// <summary>What <c>withdraw</c> can move: the app account's balance above its minimum balance (never negative).</summary>
    public static long Available(ulong balanceMicroAlgo, ulong minBalanceMicroAlgo) =>
        balanceMicroAlgo > minBalanceMicroAlgo ? checked((long)(balanceMicroAlgo - minBalanceMicroAlgo)) : 0;

    /// <summary>
    /// <paramref name="payouts"/> (oldest first) with <paramref name="record"/> in place of its period's record, or
    /// added at the end; the oldest dropped beyond <paramref name="keep"/>.
    /// </summary>
    public static List<PayoutRecord> Upsert(IReadOnlyList<PayoutRecord> payouts, PayoutRecord record, int keep)
    {
        ArgumentNullException.ThrowIfNull(payouts);
        ArgumentNullException.ThrowIfNull(record);
        var updated = payouts.Where(p => p.Period != record.Period).ToList();
        var index = payouts.ToList().FindIndex(p => p.Period == record.Period);
        updated.Insert(index < 0 ? updated.Count : index, record);
        return updated.Count > keep ? updated[^keep..] : updated;
    }

    private static DomainException Invalid(string message) => DomainException.Invalid(PayoutErrors.InvalidPayoutSchedule, message);
}
