using System.Globalization;
using System.Text.Json.Serialization;
using FanForge.Grains.Algorand;
using FanForge.GrainInterfaces.Notifications;

namespace FanForge.Api.Notifications;

/// <summary>
/// A notification as the frontend reads it, the same in <c>GET /notifications</c> and in the <c>/ws</c> event
/// <c>notification</c>: snake_case, the facts in <c>data</c> (only those the kind has), amounts in micro-ALGO and
/// ALGO, and a ready <c>message</c> in English.
/// </summary>
internal sealed record NotificationItem(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("audience")] string Audience,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("read")] bool Read,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("data")] NotificationData Data)
{
    public static NotificationItem From(Notification n, bool read) => new(
        n.Id,
        n.Kind,
        n.Audience == NotificationAudience.Creator ? "creator" : "fan",
        n.At,
        read,
        MessageOf(n),
        NotificationData.From(n.Details));

    /// <summary>The line a notification list shows; the data carries the same facts for richer rendering.</summary>
    internal static string MessageOf(Notification n)
    {
        var d = n.Details;
        return n.Kind switch
        {
            NotificationKinds.TipsReceived => d.Count == 1
                ? $"New tip of {Algo(d.AmountMicroAlgo)} ALGO from {Short(d.Fan)}"
                : $"{d.Count} new tips from {d.Fans} {(d.Fans == 1 ? "fan" : "fans")}: {Algo(d.AmountMicroAlgo)} ALGO",
            NotificationKinds.NewMember => $"{Short(d.Fan)} became a Bauni member",
            NotificationKinds.OrderPaid when n.Audience == NotificationAudience.Creator => $"Order #{d.OrderId} was paid: {Algo(d.AmountMicroAlgo)} ALGO",
            NotificationKinds.OrderPaid => $"Your order #{d.OrderId} is paid",
            NotificationKinds.PayoutSent => $"Payout of {Algo(d.AmountMicroAlgo)} ALGO sent to your wallet",
            NotificationKinds.BadgeMinted => $"Butki badge #{d.BadgeNumber} from {Short(d.Creator)} is ready to claim",
            NotificationKinds.MembershipBought => $"Your Bauni membership of {Short(d.Creator)} is active until {Day(d.ExpiresAt)}",
            NotificationKinds.MembershipRenewed => $"Your Bauni membership of {Short(d.Creator)} is renewed until {Day(d.ExpiresAt)}",
            NotificationKinds.MembershipExpiring => $"Your Bauni membership of {Short(d.Creator)} ends on {Day(d.ExpiresAt)}",
            NotificationKinds.MembershipExpired => $"Your Bauni membership of {Short(d.Creator)} has ended",
            NotificationKinds.OrderExpired => $"Your order #{d.OrderId} expired unpaid",
            NotificationKinds.OrderRefunded => $"Your order #{d.OrderId} was refunded",
            _ => n.Kind,
        };
    }

    private static string Algo(long? micro) => MicroAlgo.ToAlgo(micro ?? 0).ToString("0.######", CultureInfo.InvariantCulture);

    private static string Short(string? wallet) => wallet is { Length: > 12 } w ? $"{w[..6]}…{w[^4..]}" : wallet ?? "";

    private static string Day(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) ?? "";
}

/// <summary>The facts of a notification; a field the kind does not have is left out.</summary>
internal sealed record NotificationData(
    [property: JsonPropertyName("creator_wallet"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? CreatorWallet,
    [property: JsonPropertyName("fan_wallet"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? FanWallet,
    [property: JsonPropertyName("amount_algo"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] decimal? AmountAlgo,
    [property: JsonPropertyName("amount_micro"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? AmountMicro,
    [property: JsonPropertyName("count"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Count,
    [property: JsonPropertyName("fans"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Fans,
    [property: JsonPropertyName("first_round"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ulong? FirstRound,
    [property: JsonPropertyName("last_round"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ulong? LastRound,
    [property: JsonPropertyName("order_id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? OrderId,
    [property: JsonPropertyName("asset_id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ulong? AssetId,
    [property: JsonPropertyName("badge_number"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? BadgeNumber,
    [property: JsonPropertyName("expires_at"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? ExpiresAt,
    [property: JsonPropertyName("tx_id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TxId,
    [property: JsonPropertyName("payout_id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PayoutId)
{
    public static NotificationData From(NotificationDetails d) => new(
        d.Creator, d.Fan, d.AmountMicroAlgo is { } micro ? MicroAlgo.ToAlgo(micro) : null, d.AmountMicroAlgo, d.Count, d.Fans, d.FirstRound,
        d.LastRound, d.OrderId, d.AssetId, d.BadgeNumber, d.ExpiresAt, d.TxId, d.PayoutId);
}
