using FanForge.GrainInterfaces.Loyalty;
using Orleans.Concurrency;

namespace FanForge.Grains.Loyalty;

/// <summary>Key: fan wallet. Answers from <see cref="IFanCreatorIndex"/> on whichever silo it runs; it keeps no state.</summary>
[StatelessWorker, GrainType("ff.fan-tip-index")]
public sealed class FanTipIndexGrain(IFanCreatorIndex index) : Grain, IFanTipIndex
{
    public Task<IReadOnlyList<string>> GetCreatorsAsync() => index.CreatorsAsync(this.GetPrimaryKeyString());
}
