using FanForge.GrainInterfaces.Loyalty;
using FanForge.GrainInterfaces.Notifications;

namespace FanForge.Grains.Notifications;

/// <summary>
/// Every notification the platform sends, built from the event it tells of. Each id is that event's own identity,
/// so the same event always yields the same id and a repeat is kept once by the inbox.
/// </summary>
public static class NotificationFactory
{
    /// <summary>
    /// Tips a creator's journal delivered in one batch (at least one): count, total, distinct fans and rounds. Its id
    /// is the position of the batch's last tip, which belongs to that batch alone (a delivered tip leaves the journal
    /// in the same write that queues this notification).
    /// </summary>
    public static Notification TipsReceived(string creator, IReadOnlyCollection<ChainTip> tips, DateTimeOffset at)
    {
        ArgumentOutOfRangeException.ThrowIfZero(tips.Count);
        var last = tips.MaxBy(t => t.Position)!.Position;
        var fans = tips.Select(t => t.Fan).Distinct(StringComparer.Ordinal).ToList();
        return new Notification(
            $"tips:{creator}:{last.Round}:{last.IntraRoundOffset}", creator, NotificationAudience.Creator, NotificationKinds.TipsReceived, at,
            new NotificationDetails(
                Creator: creator, Fan: fans.Count == 1 ? fans[0] : null, AmountMicroAlgo: tips.Sum(t => t.AmountMicroAlgo), Count: tips.Count,
                Fans: fans.Count, FirstRound: tips.Min(t => t.Position.Round), LastRound: last.Round));
    }

    /// <summary>Badge <paramref name="badgeNumber"/> of the pair landed on chain as <paramref name="assetId"/>.</summary>
    public static Notification BadgeMinted(string creator, string fan, int badgeNumber, ulong assetId, DateTimeOffset at) => new(
        $"badge_minted:{creator}/{fan}/{badgeNumber}", fan, NotificationAudience.Fan, NotificationKinds.BadgeMinted, at,
        new NotificationDetails(Creator: creator, Fan: fan, AssetId: assetId, BadgeNumber: badgeNumber));

    /// <summary>
    /// Purchase number <paramref name="purchase"/> of a membership: the fan's bought or renewed, and, when it started
    /// a term (<paramref name="renewal"/> false), the creator's new member.
    /// </summary>
    public static IReadOnlyList<Notification> MembershipPurchased(
        string creator, string fan, int purchase, int term, bool renewal, DateTimeOffset expiresAt, string? txId, DateTimeOffset at)
    {
        var details = new NotificationDetails(Creator: creator, Fan: fan, ExpiresAt: expiresAt, TxId: txId);
        var status = renewal ? "renewed" : "bought";
        var fanNotice = new Notification(
            $"membership:{creator}/{fan}/{purchase}/{status}", fan, NotificationAudience.Fan,
            renewal ? NotificationKinds.MembershipRenewed : NotificationKinds.MembershipBought, at, details);
        return renewal
            ? [fanNotice]
            : [fanNotice, new Notification($"new_member:{creator}/{fan}/{term}", creator, NotificationAudience.Creator, NotificationKinds.NewMember, at, details)];
    }

    /// <summary>The membership as of purchase <paramref name="purchase"/> ends soon (at <paramref name="expiresAt"/>).</summary>
    public static Notification MembershipExpiring(string creator, string fan, int purchase, DateTimeOffset expiresAt, DateTimeOffset at) => new(
        $"membership:{creator}/{fan}/{purchase}/expiring", fan, NotificationAudience.Fan, NotificationKinds.MembershipExpiring, at,
        new NotificationDetails(Creator: creator, Fan: fan, ExpiresAt: expiresAt));

    /// <summary>The membership as of purchase <paramref name="purchase"/> ended at <paramref name="expiresAt"/>.</summary>
    public static Notification MembershipExpired(string creator, string fan, int purchase, DateTimeOffset expiresAt, DateTimeOffset at) => new(
        $"membership:{creator}/{fan}/{purchase}/expired", fan, NotificationAudience.Fan, NotificationKinds.MembershipExpired, at,
        new NotificationDetails(Creator: creator, Fan: fan, ExpiresAt: expiresAt));

    /// <summary>Order <paramref name="orderId"/> was paid: the fan's notification and the creator's.</summary>
    public static IReadOnlyList<Notification> OrderPaid(long orderId, string creator, string fan, long totalMicroAlgo, string? txId, DateTimeOffset at)
    {
        var details = new NotificationDetails(Creator: creator, Fan: fan, AmountMicroAlgo: totalMicroAlgo, OrderId: orderId, TxId: txId);
        var id = $"order_paid:{orderId}";
        return
        [
            new Notification(id, fan, NotificationAudience.Fan, NotificationKinds.OrderPaid, at, details),
            new Notification(id, creator, NotificationAudience.Creator, NotificationKinds.OrderPaid, at, details),
        ];
    }

    /// <summary>Order <paramref name="orderId"/> expired unpaid (the fan's).</summary>
    public static Notification OrderExpired(long orderId, string creator, string fan, long totalMicroAlgo, DateTimeOffset at) => new(
        $"order_expired:{orderId}", fan, NotificationAudience.Fan, NotificationKinds.OrderExpired, at,
        new NotificationDetails(Creator: creator, Fan: fan, AmountMicroAlgo: totalMicroAlgo, OrderId: orderId));

    /// <summary>Order <paramref name="orderId"/> was refunded in full (the fan's).</summary>
    public static Notification OrderRefunded(long orderId, string creator, string fan, long totalMicroAlgo, DateTimeOffset at) => new(
        $"order_refunded:{orderId}", fan, NotificationAudience.Fan, NotificationKinds.OrderRefunded, at,
        new NotificationDetails(Creator: creator, Fan: fan, AmountMicroAlgo: totalMicroAlgo, OrderId: orderId));

    /// <summary>
    /// Payout <paramref name="payoutId"/> of <paramref name="amountMicroAlgo"/> reached the creator's wallet in
    /// <paramref name="txId"/>. For the payout's owner to send once the transaction is confirmed: queue it in the
    /// state write that records the payout as sent, then hand it to <see cref="NotificationOutbox.SendAsync"/>.
    /// </summary>
    public static Notification PayoutSent(string creator, string payoutId, long amountMicroAlgo, string txId, DateTimeOffset at) => new(
        $"payout_sent:{creator}/{payoutId}", creator, NotificationAudience.Creator, NotificationKinds.PayoutSent, at,
        new NotificationDetails(Creator: creator, AmountMicroAlgo: amountMicroAlgo, TxId: txId, PayoutId: payoutId));
}
