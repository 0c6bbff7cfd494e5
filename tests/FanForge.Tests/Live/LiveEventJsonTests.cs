using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using FanForge.Api.Live;
using FanForge.GrainInterfaces.Live;
using FanForge.GrainInterfaces.Loyalty;
using FanForge.GrainInterfaces.Memberships;
using FanForge.Grains.Live;

namespace FanForge.Tests.Live;

/// <summary>
/// The exact frames the frontend receives, byte for byte. Grains send typed bodies and the API writes the JSON, so these
/// pin the names, casing, number and time formats and string escaping of every event kind. Each payload is also
/// compared with what <see cref="JsonSerializer"/> (web defaults) makes of the same fields, the way the payloads were
/// produced before the bodies were typed.
/// </summary>
public sealed class LiveEventJsonTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    private static readonly DateTimeOffset At = new(2026, 11, 23, 9, 0, 0, 250, TimeSpan.Zero);

    private static readonly FanLoyaltySnapshot Pair = new(
        "FAN", "CREATOR", PaymentCount: 7, PaymentMicroAlgo: 9_000_000, ButkiTipCount: 5, ButkiMicroAlgo: 7_500_000, BadgesEarned: 1,
        TipsToNextBadge: 5, LastBadgeAssetId: null, FirstPayment: null, HighWater: new ChainPosition(42, 1));

    private static string Text(LiveEvent e) => Encoding.UTF8.GetString(LiveEventJson.Frame(e) ?? throw new InvalidOperationException("no frame"));

    /// <summary>Expected frames are written over several lines for reading; the frame itself is one line.</summary>
    private static string OneLine(string text) => Regex.Replace(text, @"\r?\n\s*", "");

    private static string RawPayload(string frame) => JsonDocument.Parse(frame).RootElement.GetProperty("payload").GetRawText();

    [Fact]
    public void A_tip_frame()
    {
        // Characters the default encoder escapes, so the escaping is pinned too.
        var memo = "gm <3 & 'ü' +1 \"q\"";
        var tip = new ChainTip("FAN", "CREATOR", 1_500_000, memo, new ChainPosition(42, 1), "TX1", At);

        var frame = Text(LiveEvents.Tip(tip, Pair));

        Assert.Equal(
            OneLine("""
            {"type":"tip","payload":{"txId":"TX1","fanWallet":"FAN","creatorWallet":"CREATOR","amountMicroAlgo":1500000,"amountAlgo":1.5,
            "memo":"gm \u003C3 \u0026 \u0027\u00FC\u0027 \u002B1 \u0022q\u0022","round":42,"detectedAt":"2026-11-23T09:00:00.25+00:00",
            "tipCount":5,"badgesEarned":1},"id":"tip:TX1","timestamp":"2026-11-23T09:00:00.25+00:00"}
            """),
            frame);
        Assert.Equal(
            JsonSerializer.Serialize(
                new
                {
                    txId = "TX1",
                    fanWallet = "FAN",
                    creatorWallet = "CREATOR",
                    amountMicroAlgo = 1_500_000L,
                    amountAlgo = 1.5m,
                    memo,
                    round = 42UL,
                    detectedAt = At,
                    tipCount = 5,
                    badgesEarned = 1,
                },
                Web),
            RawPayload(frame));
    }

    [Fact]
    public void A_badge_frame()
    {
        var frame = Text(LiveEvents.Badge(Pair, 1, At));

        Assert.Equal(
            OneLine("""
            {"type":"badge","payload":{"fanWallet":"FAN","creatorWallet":"CREATOR","badgeNumber":1,"tipCount":5,"totalTippedAlgo":7.5},
            "id":"badge:CREATOR/FAN/1","timestamp":"2026-11-23T09:00:00.25+00:00"}
            """),
            frame);
        Assert.Equal(
            JsonSerializer.Serialize(new { fanWallet = "FAN", creatorWallet = "CREATOR", badgeNumber = 1, tipCount = 5, totalTippedAlgo = 7.5m }, Web),
            RawPayload(frame));
    }

    [Fact]
    public void A_badge_minted_frame()
    {
        var frame = Text(LiveEvents.BadgeMinted("CREATOR", "FAN", 2, 735_012_345, At));

        Assert.Equal(
            OneLine("""
            {"type":"badge_minted","payload":{"fanWallet":"FAN","creatorWallet":"CREATOR","badgeNumber":2,"assetId":735012345},
            "id":"badge_minted:CREATOR/FAN/2","timestamp":"2026-11-23T09:00:00.25+00:00"}
            """),
            frame);
        Assert.Equal(
            JsonSerializer.Serialize(new { fanWallet = "FAN", creatorWallet = "CREATOR", badgeNumber = 2, assetId = 735_012_345UL }, Web),
            RawPayload(frame));
    }

    [Fact]
    public void A_renewed_membership_frame()
    {
        var expiresAt = new DateTimeOffset(2026, 12, 23, 9, 0, 0, TimeSpan.Zero);

        var frame = Text(LiveEvents.Membership(Membership(expiresAt, purchases: 2), "renewed", "TX2"));

        Assert.Equal(
            OneLine("""
            {"type":"membership","payload":{"fanWallet":"FAN","creatorWallet":"CREATOR","status":"renewed","expiresAt":"2026-12-23T09:00:00+00:00",
            "txId":"TX2"},"id":"membership:CREATOR/FAN/2/renewed","timestamp":"2026-11-23T09:00:00.25+00:00"}
            """),
            frame);
        Assert.Equal(
            JsonSerializer.Serialize(new { fanWallet = "FAN", creatorWallet = "CREATOR", status = "renewed", expiresAt = (DateTimeOffset?)expiresAt, txId = (string?)"TX2" }, Web),
            RawPayload(frame));
    }

    [Fact]
    public void An_expired_membership_frame_has_nulls_where_nothing_is_known()
    {
        var frame = Text(LiveEvents.Membership(Membership(expiresAt: null, purchases: 1), "expired", null));

        Assert.Equal(
            OneLine("""
            {"type":"membership","payload":{"fanWallet":"FAN","creatorWallet":"CREATOR","status":"expired","expiresAt":null,"txId":null},
            "id":"membership:CREATOR/FAN/1/expired","timestamp":"2026-11-23T09:00:00.25+00:00"}
            """),
            frame);
        Assert.Equal(
            JsonSerializer.Serialize(new { fanWallet = "FAN", creatorWallet = "CREATOR", status = "expired", expiresAt = (DateTimeOffset?)null, txId = (string?)null }, Web),
            RawPayload(frame));
    }

    [Fact]
    public void An_event_without_a_body_this_process_knows_has_no_frame()
    {
        Assert.Null(LiveEventJson.Frame(new LiveEvent("x", "tip", [LiveChannels.Feed], null!, At)));
    }

    private static MembershipView Membership(DateTimeOffset? expiresAt, int purchases) => new(
        "FAN", "CREATOR", IsActive: expiresAt is not null, PurchasedAt: At, ExpiresAt: expiresAt, DaysRemaining: 30, Purchases: purchases,
        LastPaidMicroAlgo: 2_000_000, TotalPaidMicroAlgo: 2_000_000L * purchases, AssetId: null, AsOf: At, PriceMicroAlgo: 2_000_000,
        Validity: TimeSpan.FromDays(30));
}
