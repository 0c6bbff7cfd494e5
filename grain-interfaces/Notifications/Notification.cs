namespace FanForge.GrainInterfaces.Notifications;

/// <summary>
/// One notification for one wallet. <see cref="Id"/> is the identity of the event it tells of (e.g.
/// <c>order_paid:42</c>, <c>badge_minted:{creator}/{fan}/3</c>), never a fresh value: a source that sends it again
/// after a crash sends the same id, and the inbox keeps it once.
/// </summary>
/// <param name="Id">The event's own identity, unique per wallet and audience.</param>
/// <param name="Wallet">The wallet whose inbox it goes to.</param>
/// <param name="Audience">Whether the wallet is told as the creator or as the fan; it picks the live channel.</param>
/// <param name="Kind">One of <see cref="NotificationKinds"/>.</param>
/// <param name="At">When the event happened (the source's clock).</param>
/// <param name="Details">What the frontend shows; fields that do not apply to the kind are null.</param>
[GenerateSerializer, Immutable, Alias("ff.Notification")]
public sealed record Notification(
    [property: Id(0)] string Id,
    [property: Id(1)] string Wallet,
    [property: Id(2)] NotificationAudience Audience,
    [property: Id(3)] string Kind,
    [property: Id(4)] DateTimeOffset At,
    [property: Id(5)] NotificationDetails Details);

/// <summary>Who the wallet is in the event: the live channel is <c>creator:{w}</c> or <c>fan:{w}</c> accordingly.</summary>
[GenerateSerializer, Alias("ff.NotificationAudience")]
public enum NotificationAudience
{
    /// <summary>Told as a fan (channel <c>fan:{w}</c>).</summary>
    Fan = 0,

    /// <summary>Told as a creator (channel <c>creator:{w}</c>).</summary>
    Creator = 1,
}

/// <summary>
/// The facts of a notification as data (amounts in integer micro-ALGO, as everywhere between grains); the API writes
/// the text and the JSON. One flat record rather than one per kind: each kind fills the few fields it has.
/// </summary>
/// <param name="Creator">The creator involved.</param>
/// <param name="Fan">The fan involved (none for a batch of tips from several fans).</param>
/// <param name="AmountMicroAlgo">Tipped in the batch, the order's total, or the payout.</param>
/// <param name="Count">Tips in the batch.</param>
/// <param name="Fans">Distinct fans in the batch of tips.</param>
/// <param name="FirstRound">The earliest round of the tips in the batch.</param>
/// <param name="LastRound">The latest round of the tips in the batch.</param>
/// <param name="OrderId">The order.</param>
/// <param name="AssetId">The badge's ASA.</param>
/// <param name="BadgeNumber">Which of the pair's Butki badges, from 1.</param>
/// <param name="ExpiresAt">When the membership ends (or ended).</param>
/// <param name="TxId">The transaction that paid or sent it, when there is one.</param>
/// <param name="PayoutId">The payout.</param>
[GenerateSerializer, Immutable, Alias("ff.NotificationDetails")]
public sealed record NotificationDetails(
    [property: Id(0)] string? Creator = null,
    [property: Id(1)] string? Fan = null,
    [property: Id(2)] long? AmountMicroAlgo = null,
    [property: Id(3)] int? Count = null,
    [property: Id(4)] int? Fans = null,
    [property: Id(5)] ulong? FirstRound = null,
    [property: Id(6)] ulong? LastRound = null,
    [property: Id(7)] long? OrderId = null,
    [property: Id(8)] ulong? AssetId = null,
    [property: Id(9)] int? BadgeNumber = null,
    [property: Id(10)] DateTimeOffset? ExpiresAt = null,
    [property: Id(11)] string? TxId = null,
    [property: Id(12)] string? PayoutId = null);

/// <summary>The kinds of notification; stable strings the frontend branches on.</summary>
public static class NotificationKinds
{
    /// <summary>Creator: a batch of tips was counted (one per creator per delivery batch, with count and total).</summary>
    public const string TipsReceived = "tips_received";

    /// <summary>Creator: a fan became a member (a purchase that started a membership term, not a renewal).</summary>
    public const string NewMember = "new_member";

    /// <summary>Creator and fan: an order was paid (on chain or by card).</summary>
    public const string OrderPaid = "order_paid";

    /// <summary>Creator: a payout reached the creator's wallet.</summary>
    public const string PayoutSent = "payout_sent";

    /// <summary>Fan: a Butki badge landed on chain and can be claimed.</summary>
    public const string BadgeMinted = "badge_minted";

    /// <summary>Fan: a membership was bought (a new term).</summary>
    public const string MembershipBought = "membership_bought";

    /// <summary>Fan: an active membership was renewed.</summary>
    public const string MembershipRenewed = "membership_renewed";

    /// <summary>Fan: the membership ends in <c>MembershipRules.ExpiryWarningLead</c> (3 days).</summary>
    public const string MembershipExpiring = "membership_expiring";

    /// <summary>Fan: the membership ended.</summary>
    public const string MembershipExpired = "membership_expired";

    /// <summary>Fan: an order's payment window closed before it was paid.</summary>
    public const string OrderExpired = "order_expired";

    /// <summary>Fan: an order was refunded in full.</summary>
    public const string OrderRefunded = "order_refunded";
}

/// <summary>A notification pushed on the live feed (event type <c>notification</c>), on the wallet's own channel.</summary>
/// <param name="Notification">The notification as the inbox keeps it (new, so unread).</param>
[GenerateSerializer, Immutable, Alias("ff.NotificationEventBody")]
public sealed record NotificationEventBody([property: Id(0)] Notification Notification) : Live.LiveEventBody;
