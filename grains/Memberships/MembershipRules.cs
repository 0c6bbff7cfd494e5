namespace FanForge.Grains.Memberships;

/// <summary>Bauni membership rules, pure: the clock is always an argument.</summary>
public static class MembershipRules
{
    /// <summary>
    /// Orleans cannot hold a reminder due further out than its timers allow (about 49 days); a reminder due later
    /// fires at this bound and is armed again for the rest.
    /// </summary>
    public static readonly TimeSpan LongestReminderWait = TimeSpan.FromDays(21);

    /// <summary>
    /// The expiry after a purchase paid at <paramref name="paidAt"/>: a renewal extends from the later of the payment
    /// and the current expiry, so time already paid for is never lost and a lapsed membership starts afresh.
    /// </summary>
    public static DateTimeOffset Extend(DateTimeOffset? currentExpiry, DateTimeOffset paidAt, TimeSpan validity) =>
        (currentExpiry is { } expiry && expiry > paidAt ? expiry : paidAt) + validity;

    /// <summary>Active strictly before the expiry: denied from the expiry instant on.</summary>
    public static bool IsActive(DateTimeOffset? expiresAt, DateTimeOffset now) => expiresAt is { } expiry && now < expiry;

    /// <summary>Whole days left (floor), 0 when expired or never bought, as the prototype shows them.</summary>
    public static int DaysRemaining(DateTimeOffset? expiresAt, DateTimeOffset now) =>
        IsActive(expiresAt, now) ? (int)Math.Floor((expiresAt!.Value - now).TotalDays) : 0;

    /// <summary>When the expiry reminder should next fire: at the expiry, but never beyond <see cref="LongestReminderWait"/>.</summary>
    public static TimeSpan ReminderDue(DateTimeOffset expiresAt, DateTimeOffset now)
    {
        var left = expiresAt - now;
        return left <= TimeSpan.Zero ? TimeSpan.Zero : left < LongestReminderWait ? left : LongestReminderWait;
    }

    /// <summary>How long before the expiry the fan is told the membership is about to end.</summary>
    public static readonly TimeSpan ExpiryWarningLead = TimeSpan.FromDays(3);

    /// <summary>
    /// When to warn of the expiry <paramref name="expiresAt"/> set by a purchase paid at <paramref name="paidAt"/>:
    /// <see cref="ExpiryWarningLead"/> before it, or never when that moment is not after the purchase (a term that
    /// short is announced with its end by the purchase itself, and a warning at once would only repeat it).
    /// </summary>
    public static DateTimeOffset? ExpiryWarningAt(DateTimeOffset expiresAt, DateTimeOffset paidAt) =>
        expiresAt - ExpiryWarningLead is var at && at > paidAt ? at : null;

    /// <summary>Whether the warning planned for <paramref name="warnAt"/> is due: from that moment while still active; never once expired.</summary>
    public static bool ExpiryWarningDue(DateTimeOffset? warnAt, DateTimeOffset? expiresAt, DateTimeOffset now) =>
        warnAt is { } at && now >= at && IsActive(expiresAt, now);

    /// <summary>When the reminder should next fire: at the warning if one is still planned, else at the expiry (bounded as above).</summary>
    public static TimeSpan ReminderDue(DateTimeOffset expiresAt, DateTimeOffset? warnAt, DateTimeOffset now) =>
        ReminderDue(warnAt is { } at && at < expiresAt ? at : expiresAt, now);
}
