using System.Globalization;
using System.Text.Json;
using FanForge.GrainInterfaces.Onramp;

namespace FanForge.Api.Onramp;

/// <summary>
/// One Transak order as a webhook's <c>webhookData</c> and the order API's <c>data</c> both describe it (same field
/// names; the order API calls the id <c>_id</c>), read into the one change an order applies: both paths then go
/// through the same once-per-status, forward-only rule of the order grain.
/// </summary>
internal sealed record TransakOrderReport(string PartnerOrderId, OnrampWebhook Change)
{
    /// <summary>The report, or null without a <c>partnerOrderId</c> (at most 200 characters) and a <c>status</c>.</summary>
    public static TransakOrderReport? Read(JsonElement order, string? eventId) =>
        order.ValueKind == JsonValueKind.Object
        && Text(order, "partnerOrderId") is { Length: > 0 and <= 200 } partnerOrderId
        && Text(order, "status") is { Length: > 0 } status
            ? new(partnerOrderId, new OnrampWebhook(
                eventId, status, Text(order, "id") ?? Text(order, "_id"), CryptoMicroAlgo(order), Text(order, "walletAddress"), Text(order, "transactionHash")))
            : null;

    public static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        } : null;

    /// <summary><c>cryptoAmount</c> in ALGO (number or string), rounded down to micro-ALGO; null if absent or not a non-negative amount.</summary>
    private static long? CryptoMicroAlgo(JsonElement order) =>
        Text(order, "cryptoAmount") is { } text
            && decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var algo) && algo >= 0 && algo < 1e10m
                ? (long)decimal.Floor(algo * 1_000_000m)
                : null;
}
