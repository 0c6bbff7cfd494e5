using System.Buffers;
using System.Text.Json;
using FanForge.Api.Notifications;
using FanForge.Grains.Algorand;
using FanForge.GrainInterfaces.Live;
using FanForge.GrainInterfaces.Notifications;

namespace FanForge.Api.Live;

/// <summary>
/// The <c>/ws</c> wire format: <c>{"type", "payload", "id", "timestamp"}</c>, the payload written from an event's typed
/// body. This is the only place the frontend's live JSON is decided: camelCase names, amounts both as micro-ALGO and
/// as ALGO decimals, times and strings as <see cref="Utf8JsonWriter"/> writes them by default (the same escaping and
/// formats as <see cref="JsonSerializer"/>), so the frames stay exactly what clients already parse.
/// </summary>
internal static class LiveEventJson
{
    /// <summary>The frame of a published event; null when its body is of no kind known here (see <see cref="LiveEvent"/>).</summary>
    public static byte[]? Frame(LiveEvent e) =>
        e.Body is TipEventBody or BadgeEventBody or BadgeMintedEventBody or MembershipEventBody or NotificationEventBody
            ? Frame(e.Type, e.Id, e.Timestamp, e.Body, static (json, body) => WritePayload(json, body))
            : null;

    /// <summary>A frame whose payload the caller writes (the relay's own replies to a client).</summary>
    public static byte[] Frame<T>(string type, string id, DateTimeOffset timestamp, T payload, Action<Utf8JsonWriter, T> writePayload)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", type);
            json.WritePropertyName("payload");
            writePayload(json, payload);
            json.WriteString("id", id);
            json.WriteString("timestamp", timestamp);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WritePayload(Utf8JsonWriter json, LiveEventBody body)
    {
        if (body is NotificationEventBody notification)
        {
            // The item exactly as GET /notifications lists it (snake_case), so the frontend reads one shape from both.
            JsonSerializer.Serialize(json, NotificationItem.From(notification.Notification, read: false));
            return;
        }

        json.WriteStartObject();
        switch (body)
        {
            case TipEventBody tip:
                json.WriteString("txId", tip.TxId);
                json.WriteString("fanWallet", tip.Fan);
                json.WriteString("creatorWallet", tip.Creator);
                json.WriteNumber("amountMicroAlgo", tip.AmountMicroAlgo);
                json.WriteNumber("amountAlgo", MicroAlgo.ToAlgo(tip.AmountMicroAlgo));
                json.WriteString("memo", tip.Memo);
                json.WriteNumber("round", tip.Round);
                json.WriteString("detectedAt", tip.DetectedAt);
                json.WriteNumber("tipCount", tip.TipCount);
                json.WriteNumber("badgesEarned", tip.BadgesEarned);
                break;
            case BadgeEventBody badge:
                json.WriteString("fanWallet", badge.Fan);
                json.WriteString("creatorWallet", badge.Creator);
                json.WriteNumber("badgeNumber", badge.BadgeNumber);
                json.WriteNumber("tipCount", badge.TipCount);
                json.WriteNumber("totalTippedAlgo", MicroAlgo.ToAlgo(badge.TotalTippedMicroAlgo));
                break;
            case BadgeMintedEventBody minted:
                json.WriteString("fanWallet", minted.Fan);
                json.WriteString("creatorWallet", minted.Creator);
                json.WriteNumber("badgeNumber", minted.BadgeNumber);
                json.WriteNumber("assetId", minted.AssetId);
                break;
            case MembershipEventBody membership:
                json.WriteString("fanWallet", membership.Fan);
                json.WriteString("creatorWallet", membership.Creator);
                json.WriteString("status", membership.Status);
                if (membership.ExpiresAt is { } expiresAt)
                {
                    json.WriteString("expiresAt", expiresAt);
                }
                else
                {
                    json.WriteNull("expiresAt");
                }

                json.WriteString("txId", membership.TxId);
                break;
            default:
                throw new ArgumentException($"No JSON is defined for live event body {body?.GetType().Name ?? "null"}.", nameof(body));
        }

        json.WriteEndObject();
    }
}
