using FanForge.GrainInterfaces.Live;
using FanForge.GrainInterfaces.Loyalty;
using FanForge.GrainInterfaces.Memberships;
using Microsoft.Extensions.Logging;

namespace FanForge.Grains.Live;

/// <summary>
/// The live feed's events as grains see them (ids, channels and typed bodies; the API writes the JSON), and
/// publishing that neither waits on the feed nor fails the caller's work.
/// </summary>
public static class LiveEvents
{
    public static LiveEvent Tip(ChainTip tip, FanLoyaltySnapshot pair) => new(
        "tip:" + tip.TxId,
        "tip",
        [LiveChannels.Feed, LiveChannels.Creator(tip.Creator), LiveChannels.Fan(tip.Fan)],
        new TipEventBody(
            tip.TxId, tip.Fan, tip.Creator, tip.AmountMicroAlgo, tip.Memo, tip.Position.Round, tip.ConfirmedAt, pair.ButkiTipCount, pair.BadgesEarned),
        tip.ConfirmedAt);

    public static LiveEvent Badge(FanLoyaltySnapshot pair, int badgeNumber, DateTimeOffset at) => new(
        $"badge:{pair.Creator}/{pair.Fan}/{badgeNumber}",
        "badge",
        [LiveChannels.Feed, LiveChannels.Creator(pair.Creator), LiveChannels.Fan(pair.Fan)],
        new BadgeEventBody(pair.Fan, pair.Creator, badgeNumber, pair.ButkiTipCount, pair.ButkiMicroAlgo),
        at);

    /// <summary>Badge <paramref name="badgeNumber"/> of the pair landed on chain as <paramref name="assetId"/>.</summary>
    public static LiveEvent BadgeMinted(string creator, string fan, int badgeNumber, ulong assetId, DateTimeOffset at) => new(
        $"badge_minted:{creator}/{fan}/{badgeNumber}",
        "badge_minted",
        [LiveChannels.Feed, LiveChannels.Creator(creator), LiveChannels.Fan(fan)],
        new BadgeMintedEventBody(fan, creator, badgeNumber, assetId),
        at);

    /// <summary>A membership became <paramref name="status"/> (<c>active</c>, <c>renewed</c>, <c>expired</c>).</summary>
    public static LiveEvent Membership(MembershipView membership, string status, string? txId) => new(
        $"membership:{membership.Creator}/{membership.Fan}/{membership.Purchases}/{status}",
        "membership",
        [LiveChannels.Feed, LiveChannels.Creator(membership.Creator), LiveChannels.Fan(membership.Fan)],
        new MembershipEventBody(membership.Fan, membership.Creator, status, membership.ExpiresAt, txId),
        membership.AsOf);

    /// <summary>
    /// Hands events to this silo's <see cref="ILiveFeedOutbox"/> one-way: the caller (a payment, a badge, a membership)
    /// goes on at once however slow the hub is. The feed is a notification: anything that still goes wrong here is
    /// logged, never passed to the state change that caused it.
    /// </summary>
    public static async Task PublishAsync(IGrainFactory grains, IReadOnlyList<LiveEvent> events, ILogger logger)
    {
        if (events.Count == 0)
        {
            return;
        }

        try
        {
            await grains.GetGrain<ILiveFeedOutbox>(ILiveFeedOutbox.Key).PublishAsync(events);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Live feed publish of {Count} events failed", events.Count);
        }
    }
}
