using FanForge.GrainInterfaces.Nfts;

namespace FanForge.Grains.Nfts;

[GenerateSerializer, Alias("ff.FanNftsState")]
public sealed class FanNftsState
{
    [Id(0)] public Dictionary<ulong, NftRecord> ByAsset { get; set; } = [];
}

/// <summary>Key: fan wallet.</summary>
[GrainType("ff.fan-nfts")]
public sealed class FanNftsGrain(
    [PersistentState("fan-nfts", StorageNames.Default)] IPersistentState<FanNftsState> state) : Grain, IFanNfts
{
    public async Task RecordAsync(NftRecord nft)
    {
        if (state.State.ByAsset.TryGetValue(nft.AssetId, out var known) && known == nft)
        {
            return;
        }

        state.State.ByAsset[nft.AssetId] = nft;
        await state.WriteStateAsync();
    }

    public async Task RemoveAsync(ulong assetId)
    {
        if (state.State.ByAsset.Remove(assetId))
        {
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<NftRecord>> GetPendingAsync() => Task.FromResult<IReadOnlyList<NftRecord>>(
        [.. Newest().Where(n => n.DeliveryStatus == DeliveryStatus.PendingOptIn)]);

    public Task<IReadOnlyList<NftRecord>> GetAllAsync() => Task.FromResult<IReadOnlyList<NftRecord>>([.. Newest()]);

    private IEnumerable<NftRecord> Newest() => state.State.ByAsset.Values.OrderByDescending(n => n.MintedAt).ThenByDescending(n => n.Id);
}
