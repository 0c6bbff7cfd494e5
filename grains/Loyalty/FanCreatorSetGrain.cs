namespace FanForge.Grains.Loyalty;

/// <summary>One fan's creators, for <see cref="GrainFanCreatorIndex"/> (key: fan wallet).</summary>
[Alias("ff.IFanCreatorSet")]
public interface IFanCreatorSet : IGrainWithStringKey
{
    [Alias("Add")]
    Task AddAsync(string creator);

    [Alias("Get")]
    Task<IReadOnlyList<string>> GetAsync();
}

[GenerateSerializer, Alias("ff.FanCreatorSetState")]
public sealed class FanCreatorSetState
{
    /// <summary>The creators the fan paid (bounded by creators, not by payments).</summary>
    [Id(0)] public HashSet<string> CreatorWallets { get; set; } = new(StringComparer.Ordinal);
}

[GrainType("ff.fan-creator-set")]
public sealed class FanCreatorSetGrain(
    [PersistentState("fan-creators", StorageNames.Default)] IPersistentState<FanCreatorSetState> state)
    : Grain, IFanCreatorSet
{
    public async Task AddAsync(string creator)
    {
        if (state.State.CreatorWallets.Add(creator))
        {
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<string>> GetAsync() => Task.FromResult<IReadOnlyList<string>>([.. state.State.CreatorWallets]);
}

/// <summary>
/// The index as a grain per fan: for clusters whose grain storage is in memory (development, grain tests), where a
/// table is not available and silos share nothing but grains.
/// </summary>
public sealed class GrainFanCreatorIndex(IGrainFactory grains) : IFanCreatorIndex
{
    public Task AddAsync(string fan, string creator) => grains.GetGrain<IFanCreatorSet>(fan).AddAsync(creator);

    public Task<IReadOnlyList<string>> CreatorsAsync(string fan) => grains.GetGrain<IFanCreatorSet>(fan).GetAsync();
}
