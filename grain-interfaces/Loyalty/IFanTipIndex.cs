namespace FanForge.GrainInterfaces.Loyalty;

/// <summary>
/// One fan's view across creators (key: fan wallet): each supported creator's pair snapshot and the fan's most
/// recent payments. Updated by the pair grains with absolute snapshots, so a repeated update is harmless.
/// </summary>
[Alias("ff.IFanTipIndex")]
public interface IFanTipIndex : IGrainWithStringKey
{
    /// <summary>Records a pair's latest snapshot and the payments that produced it (deduplicated by tx id).</summary>
    [Alias("Record")]
    Task RecordAsync(FanLoyaltySnapshot pair, IReadOnlyList<ChainTip> payments);

    /// <summary>Every creator this fan paid, with the pair snapshot.</summary>
    [Alias("GetCreators")]
    Task<IReadOnlyList<FanLoyaltySnapshot>> GetCreatorsAsync();

    /// <summary>The fan's most recent payments, newest first.</summary>
    [Alias("GetRecent")]
    Task<IReadOnlyList<ChainTip>> GetRecentAsync();
}
