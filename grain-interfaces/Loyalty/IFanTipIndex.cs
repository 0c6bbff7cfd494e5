namespace FanForge.GrainInterfaces.Loyalty;

/// <summary>
/// Which creators one fan has paid (key: fan wallet), written once per new creator, so a tip costs one write (its
/// pair's). It holds no totals and calls no other grain: readers take the list and read the pairs themselves, so a
/// read here never waits on a pair that is applying a payment.
/// </summary>
[Alias("ff.IFanTipIndex")]
public interface IFanTipIndex : IGrainWithStringKey
{
    /// <summary>Records that the fan paid <paramref name="creator"/> (idempotent: writes only the first time).</summary>
    [Alias("AddCreator")]
    Task AddCreatorAsync(string creator);

    /// <summary>Every creator this fan paid (a tip or a purchase).</summary>
    [Alias("GetCreators")]
    Task<IReadOnlyList<string>> GetCreatorsAsync();
}
