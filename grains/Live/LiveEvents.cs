using System.Text.Json;
using FanForge.Grains.Algorand;
using FanForge.GrainInterfaces.Live;
using FanForge.GrainInterfaces.Loyalty;
using FanForge.GrainInterfaces.Memberships;
using Microsoft.Extensions.Logging;

namespace FanForge.Grains.Live;

/// <summary>The live feed's event shapes, and publishing that never fails the caller's work.</summary>
public static class LiveEvents
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static LiveEvent Tip(ChainTip tip, FanLoyaltySnapshot pair) => new(
        "tip:" + tip.TxId,
        "tip",
        [LiveChannels.Feed, LiveChannels.Creator(tip.Creator), LiveChannels.Fan(tip.Fan)],
        JsonSerializer.Serialize(new
        {
            txId = tip.TxId,
            fanWallet = tip.Fan,
            creatorWallet = tip.Creator,
            amountMicroAlgo = tip.AmountMicroAlgo,
            amountAlgo = MicroAlgo.ToAlgo(tip.AmountMicroAlgo),
            memo = tip.Memo,
            round = tip.Position.Round,
            detectedAt = tip.ConfirmedAt,
            tipCount = pair.ButkiTipCount,
            badgesEarned = pair.BadgesEarned,
        }, Json),
        tip.ConfirmedAt);

    public static LiveEvent Badge(FanLoyaltySnapshot pair, int badgeNumber, DateTimeOffset at) => new(
        $"badge:{pair.Creator}/{pair.Fan}/{badgeNumber}",
        "badge",
        [LiveChannels.Feed, LiveChannels.Creator(pair.Creator), LiveChannels.Fan(pair.Fan)],
        JsonSerializer.Serialize(new
        {
            fanWallet = pair.Fan,
            creatorWallet = pair.Creator,
            badgeNumber,
            tipCount = pair.ButkiTipCount,
            totalTippedAlgo = MicroAlgo.ToAlgo(pair.ButkiMicroAlgo),
        }, Json),
        at);

    /// <summary>A membership became <paramref name="status"/> (<c>active</c>, <c>renewed</c>, <c>expired</c>).</summary>
    public static LiveEvent Membership(MembershipView membership, string status, string? txId) => new(
        $"membership:{membership.Creator}/{membership.Fan}/{membership.Purchases}/{status}",
        "membership",
        [LiveChannels.Feed, LiveChannels.Creator(membership.Creator), LiveChannels.Fan(membership.Fan)],
        JsonSerializer.Serialize(new
        {
            fanWallet = membership.Fan,
            creatorWallet = membership.Creator,
            status,
            expiresAt = membership.ExpiresAt,
            txId,
        }, Json),
        membership.AsOf);

    /// <summary>The feed is a notification: a failure to publish is logged, never passed to the state change that caused it.</summary>
    public static async Task PublishAsync(IGrainFactory grains, IReadOnlyList<LiveEvent> events, ILogger logger)
    {
        if (events.Count == 0)
        {
            return;
        }

        try
        {
            await grains.GetGrain<ILiveFeedHub>(ILiveFeedHub.Key).PublishAsync(events);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Live feed publish of {Count} events failed", events.Count);
        }
    }
}
