using FanForge.GrainInterfaces.Loyalty;

namespace FanForge.Grains.Loyalty;

[GenerateSerializer, Alias("ff.FanTipIndexState")]
public sealed class FanTipIndexState
{
    /// <summary>The creators the fan paid (bounded by creators, not by payments).</summary>
    [Id(2)] public HashSet<string> CreatorWallets { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>Key: fan wallet. Reads fan out to the fan's pairs, in parallel.</summary>
[GrainType("ff.fan-tip-index")]
public sealed class FanTipIndexGrain(
    [PersistentState("fan-tip-index", StorageNames.Default)] IPersistentState<FanTipIndexState> state)
    : Grain, IFanTipIndex
{
    internal const int RecentCapacity = 20;

    public async Task AddCreatorAsync(string creator)
    {
        if (state.State.CreatorWallets.Add(creator))
        {
            await state.WriteStateAsync();
        }
    }

    public async Task<IReadOnlyList<FanLoyaltySnapshot>> GetCreatorsAsync() => await Task.WhenAll(Pairs().Select(p => p.GetAsync()));

    public async Task<IReadOnlyList<ChainTip>> GetRecentAsync()
    {
        var recent = await Task.WhenAll(Pairs().Select(p => p.GetRecentAsync()));
        return [.. recent.SelectMany(r => r).OrderByDescending(t => t.ConfirmedAt).ThenByDescending(t => t.Position).Take(RecentCapacity)];
    }

    /// <summary>A copy taken before any await: an interleaved <see cref="AddCreatorAsync"/> may change the set meanwhile.</summary>
    private List<IFanLoyalty> Pairs()
    {
        var fan = this.GetPrimaryKeyString();
        return [.. state.State.CreatorWallets.Select(creator => GrainFactory.GetGrain<IFanLoyalty>(FanLoyaltyKey.For(creator, fan)))];
    }
}
