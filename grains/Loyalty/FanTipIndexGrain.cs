using FanForge.GrainInterfaces.Loyalty;

namespace FanForge.Grains.Loyalty;

[GenerateSerializer, Alias("ff.FanTipIndexState")]
public sealed class FanTipIndexState
{
    /// <summary>The creators the fan paid (bounded by creators, not by payments).</summary>
    [Id(2)] public HashSet<string> CreatorWallets { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>Key: fan wallet.</summary>
[GrainType("ff.fan-tip-index")]
public sealed class FanTipIndexGrain(
    [PersistentState("fan-tip-index", StorageNames.Default)] IPersistentState<FanTipIndexState> state)
    : Grain, IFanTipIndex
{
    public async Task AddCreatorAsync(string creator)
    {
        if (state.State.CreatorWallets.Add(creator))
        {
            await state.WriteOrDeactivateAsync(DeactivateOnIdle);
        }
    }

    public Task<IReadOnlyList<string>> GetCreatorsAsync() => Task.FromResult<IReadOnlyList<string>>([.. state.State.CreatorWallets]);
}
