using FanForge.GrainInterfaces.Loyalty;

namespace FanForge.Api.Loyalty;

/// <summary>A fan's pairs, read here rather than by the fan's index grain, so no grain waits on another to answer a read.</summary>
internal static class FanPairs
{
    /// <summary>How many recent payments the fan's pages show across creators.</summary>
    public const int RecentCapacity = 20;

    public static async Task<IReadOnlyList<string>> CreatorsAsync(IGrainFactory grains, string fan) =>
        await grains.GetGrain<IFanTipIndex>(fan).GetCreatorsAsync();

    /// <summary>Every pair of the fan, in parallel (all zero for a creator the fan only bought from).</summary>
    public static async Task<FanLoyaltySnapshot[]> ReadAsync(IGrainFactory grains, string fan, IReadOnlyList<string> creators) =>
        await Task.WhenAll(creators.Select(c => grains.GetGrain<IFanLoyalty>(FanLoyaltyKey.For(c, fan)).GetAsync()));

    /// <summary>The fan's most recent tips across creators, newest first.</summary>
    public static async Task<IReadOnlyList<ChainTip>> RecentAsync(IGrainFactory grains, string fan, IReadOnlyList<string> creators)
    {
        var recent = await Task.WhenAll(creators.Select(c => grains.GetGrain<IFanLoyalty>(FanLoyaltyKey.For(c, fan)).GetRecentAsync()));
        return [.. recent.SelectMany(r => r).OrderByDescending(t => t.ConfirmedAt).ThenByDescending(t => t.Position).Take(RecentCapacity)];
    }
}
