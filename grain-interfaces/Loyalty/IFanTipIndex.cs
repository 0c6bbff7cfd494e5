namespace FanForge.GrainInterfaces.Loyalty;

/// <summary>
/// Which creators one fan has paid (key: fan wallet), for the fan's pages. It holds no totals and calls no other grain:
/// readers take the list and read the pairs themselves, so a read here never waits on a pair that is applying a payment.
/// The list is written by the payment path itself (a pair's first tip, a membership's first purchase), not through
/// this grain, so a new pair costs no activation here.
/// </summary>
[Alias("ff.IFanTipIndex")]
public interface IFanTipIndex : IGrainWithStringKey
{
    /// <summary>Every creator this fan paid (a tip or a purchase), in no particular order.</summary>
    [Alias("GetCreators")]
    Task<IReadOnlyList<string>> GetCreatorsAsync();
}
