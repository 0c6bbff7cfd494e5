using Orleans.Concurrency;

namespace FanForge.GrainInterfaces.Loyalty;

/// <summary>
/// One fan's view across creators (key: fan wallet). It stores only which creators the fan has paid, written once per
/// new creator, so a tip costs one write (its pair's); totals and recent payments are read from the pairs.
/// </summary>
[Alias("ff.IFanTipIndex")]
public interface IFanTipIndex : IGrainWithStringKey
{
    /// <summary>Records that the fan paid <paramref name="creator"/> (idempotent: writes only the first time).</summary>
    [Alias("AddCreator")]
    Task AddCreatorAsync(string creator);

    /// <summary>
    /// Every creator this fan paid, with the pair snapshot. Reads interleave with <see cref="AddCreatorAsync"/>, which a
    /// pair calls while it applies a payment: a read waiting on that pair must not keep the pair waiting on this index.
    /// </summary>
    [Alias("GetCreators"), AlwaysInterleave]
    Task<IReadOnlyList<FanLoyaltySnapshot>> GetCreatorsAsync();

    /// <summary>The fan's most recent payments across creators, newest first; interleaves as <see cref="GetCreatorsAsync"/>.</summary>
    [Alias("GetRecent"), AlwaysInterleave]
    Task<IReadOnlyList<ChainTip>> GetRecentAsync();
}
