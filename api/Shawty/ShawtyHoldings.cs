using FanForge.GrainInterfaces.Shawty;

namespace FanForge.Api.Shawty;

/// <summary>
/// A fan's tokens as the tokens themselves tell it. The fan's wallet grain only lists asset ids; the fan-out to the
/// token grains happens here, outside any grain, so no grain waits on a token while a token may be waiting on it.
/// </summary>
internal static class ShawtyHoldings
{
    /// <summary>
    /// The tokens <paramref name="fan"/> owns now, newest purchase first (then highest asset id); burned and locked ones
    /// only when <paramref name="includeSpent"/>.
    /// </summary>
    public static async Task<IReadOnlyList<ShawtyTokenView>> ReadAsync(IGrainFactory grains, string fan, bool includeSpent)
    {
        var held = await grains.GetGrain<IFanShawty>(fan).GetHeldAsync();
        var tokens = await Task.WhenAll(held.Select(id => grains.GetGrain<IShawtyToken>((long)id).GetAsync()));
        // An entry whose token names another owner is a transfer in flight or one that failed halfway: not this fan's.
        return
        [
            .. tokens.OfType<ShawtyTokenView>()
                .Where(t => t.Owner == fan && (includeSpent || t.IsRedeemable))
                .OrderByDescending(t => t.PurchasedAt).ThenByDescending(t => t.AssetId),
        ];
    }
}
