using System.Globalization;
using System.Text.Json.Nodes;

namespace FanForge.Tests.Payments;

/// <summary>Stripe event payloads in the shape Stripe sends them (API version 2026-10-28.endive), for signing in tests.</summary>
public static class StripeEvents
{
    public const string WebhookSecret = "whsec_test_fanforge_0123456789abcdef";

    private static JsonObject Metadata(long? orderId) =>
        orderId is { } id ? new JsonObject { ["order_id"] = id.ToString(CultureInfo.InvariantCulture) } : [];

    public static string Event(string id, string type, JsonObject data, DateTimeOffset at) => new JsonObject
    {
        ["id"] = id,
        ["object"] = "event",
        ["api_version"] = "2026-10-28.endive",
        ["created"] = at.ToUnixTimeSeconds(),
        ["data"] = new JsonObject { ["object"] = data },
        ["livemode"] = false,
        ["pending_webhooks"] = 1,
        ["request"] = new JsonObject { ["id"] = null, ["idempotency_key"] = null },
        ["type"] = type,
    }.ToJsonString();

    public static JsonObject Session(string sessionId, long orderId, long amount, string intent, string status = "complete", string paymentStatus = "paid") => new()
    {
        ["id"] = sessionId,
        ["object"] = "checkout.session",
        ["amount_subtotal"] = amount,
        ["amount_total"] = amount,
        ["client_reference_id"] = orderId.ToString(CultureInfo.InvariantCulture),
        ["currency"] = "usd",
        ["metadata"] = Metadata(orderId),
        ["mode"] = "payment",
        ["payment_intent"] = intent,
        ["payment_status"] = paymentStatus,
        ["status"] = status,
    };

    public static JsonObject Charge(string intent, long amount, long? orderId, bool full = true) => new()
    {
        ["id"] = "ch_" + intent,
        ["object"] = "charge",
        ["amount"] = amount,
        ["amount_captured"] = amount,
        ["amount_refunded"] = full ? amount : amount / 2,
        ["currency"] = "usd",
        ["metadata"] = Metadata(orderId),
        ["paid"] = true,
        ["payment_intent"] = intent,
        ["refunded"] = full,
        ["status"] = "succeeded",
    };

    public static JsonObject FailedIntent(string intent, long amount, long orderId) => new()
    {
        ["id"] = intent,
        ["object"] = "payment_intent",
        ["amount"] = amount,
        ["currency"] = "usd",
        ["metadata"] = Metadata(orderId),
        ["status"] = "requires_payment_method",
        ["last_payment_error"] = new JsonObject { ["type"] = "card_error", ["code"] = "card_declined", ["decline_code"] = "insufficient_funds", ["message"] = "Your card has insufficient funds." },
    };
    /// <summary>A completed membership session as Stripe sends it back: the metadata the checkout set, as recorded by the fake.</summary>
    public static JsonObject MembershipSession(StripeRequest created, string sessionId, long amount, string intent, string paymentStatus = "paid") => new()
    {
        ["id"] = sessionId,
        ["object"] = "checkout.session",
        ["amount_subtotal"] = amount,
        ["amount_total"] = amount,
        ["client_reference_id"] = created.Form.GetValueOrDefault("client_reference_id"),
        ["currency"] = created.Form["line_items[0][price_data][currency]"],
        ["metadata"] = new JsonObject(created.Form.Where(f => f.Key.StartsWith("metadata[", StringComparison.Ordinal))
            .Select(f => KeyValuePair.Create(f.Key["metadata[".Length..^1], (JsonNode?)JsonValue.Create(f.Value)))),
        ["mode"] = "payment",
        ["payment_intent"] = intent,
        ["payment_status"] = paymentStatus,
        ["status"] = "complete",
    };
}
