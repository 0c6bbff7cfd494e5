using Orleans.Concurrency;

namespace FanForge.GrainInterfaces.Payouts;

/// <summary>
/// A creator's scheduled payouts (key: creator wallet): the schedule, the payouts made or skipped, and the one payout in
/// flight. The platform triggers the creator's TipProxy <c>withdraw</c>, which pays only the creator stored in the app.
/// </summary>
[Alias("ff.ICreatorPayouts")]
public interface ICreatorPayouts : IGrainWithStringKey
{
    /// <summary>
    /// Sets the schedule. The same schedule again changes nothing (<see cref="PayoutScheduleResult.Changed"/> false)
    /// and answers the same. Out of range: 400 <c>invalid_payout_schedule</c>, nothing changed.
    /// </summary>
    [Alias("SetSchedule")]
    Task<PayoutScheduleResult> SetScheduleAsync(PayoutSchedule schedule);

    /// <summary>The schedule and the newest <paramref name="limit"/> payouts, newest first (a plain read).</summary>
    [Alias("Get"), AlwaysInterleave]
    Task<PayoutsView> GetAsync(int limit);

    /// <summary>
    /// What the grain's reminder does: finishes the payout in flight (sending its stored bytes again), else pays the
    /// period that is due, if any. Safe to call any number of times: a period is paid at most once. A node failure
    /// leaves the payout in flight for the next check and is thrown.
    /// </summary>
    [Alias("Check")]
    Task<PayoutsView> CheckAsync();

    /// <summary>How many payouts a creator keeps (the oldest are dropped first).</summary>
    public const int KeptPayouts = 100;
}

/// <summary>How a creator is paid out.</summary>
public enum PayoutMode
{
    /// <summary>No scheduled payouts: the creator withdraws on its own.</summary>
    Off = 0,

    /// <summary>Once per ISO week (UTC), from the week after the schedule was set.</summary>
    Weekly = 1,

    /// <summary>Whenever the app holds at least the threshold above its minimum balance.</summary>
    Threshold = 2,
}

/// <summary>A schedule as the creator sets it; <see cref="ThresholdMicroAlgo"/> only with <see cref="PayoutMode.Threshold"/>.</summary>
[GenerateSerializer, Immutable, Alias("ff.PayoutSchedule")]
public sealed record PayoutSchedule(
    [property: Id(0)] PayoutMode Mode,
    [property: Id(1)] long? ThresholdMicroAlgo = null);

/// <summary>What became of one period's payout. Statuses are stable strings: clients branch on them.</summary>
public static class PayoutStatus
{
    /// <summary>Signed and stored, being sent: the same bytes are sent again until they land or can never land.</summary>
    public const string Pending = "pending";

    /// <summary>Landed on chain: <see cref="PayoutRecord.TxId"/> and <see cref="PayoutRecord.ConfirmedRound"/> are set.</summary>
    public const string Paid = "paid";

    /// <summary>
    /// The app runs a TipProxy version whose withdraw only the creator may call: nothing was sent. Checked again on
    /// every tick of the period, so upgrading the contract pays the same period.
    /// </summary>
    public const string UpgradeRequired = "upgrade_required";

    /// <summary>A weekly period found less than the smallest payout above the app's minimum balance: nothing sent.</summary>
    public const string NothingToPay = "nothing_to_pay";

    /// <summary>The chain refused the payout for good (<see cref="PayoutRecord.Detail"/> says why); tried again next tick.</summary>
    public const string Failed = "failed";

    /// <summary>Whether a period with this status is settled (no further attempt in it).</summary>
    public static bool IsFinal(string status) => status is Paid or NothingToPay;
}

/// <summary>
/// One period's payout: <see cref="Period"/> is the ISO week (<c>2026-W03</c>) of a weekly payout or
/// <c>threshold-{n}</c>, the n-th threshold payout. One record per period, updated as its attempt goes on.
/// </summary>
[GenerateSerializer, Immutable, Alias("ff.PayoutRecord")]
public sealed record PayoutRecord(
    [property: Id(0)] string Period,
    [property: Id(1)] PayoutMode Mode,
    [property: Id(2)] string Status,
    [property: Id(3)] long AmountMicroAlgo,
    [property: Id(4)] ulong AppId,
    [property: Id(5)] string? TxId,
    [property: Id(6)] ulong? ConfirmedRound,
    [property: Id(7)] DateTimeOffset RecordedAt,
    [property: Id(8)] DateTimeOffset UpdatedAt,
    [property: Id(9)] string? Detail);

/// <summary>The schedule in force (<see cref="Since"/>: when it was set; null while never set) and recent payouts, newest first.</summary>
[GenerateSerializer, Immutable, Alias("ff.PayoutsView")]
public sealed record PayoutsView(
    [property: Id(0)] string Creator,
    [property: Id(1)] PayoutSchedule Schedule,
    [property: Id(2)] DateTimeOffset? Since,
    [property: Id(3)] IReadOnlyList<PayoutRecord> Payouts,
    [property: Id(4)] int TotalKept);

/// <summary>A schedule change's answer: whether anything changed (a repeat changes nothing) and the payouts view.</summary>
[GenerateSerializer, Immutable, Alias("ff.PayoutScheduleResult")]
public sealed record PayoutScheduleResult(
    [property: Id(0)] bool Changed,
    [property: Id(1)] PayoutsView View);

/// <summary>Error codes of scheduled payouts.</summary>
public static class PayoutErrors
{
    /// <summary>An unknown mode, a threshold out of range, or a threshold with another mode (400).</summary>
    public const string InvalidPayoutSchedule = "invalid_payout_schedule";
}
