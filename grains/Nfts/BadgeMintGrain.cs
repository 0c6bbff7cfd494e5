using FanForge.Grains.Algorand;
using FanForge.Grains.Algorand.Clients;
using FanForge.Grains.Chain;
using FanForge.GrainInterfaces.Loyalty;
using FanForge.GrainInterfaces.Nfts;
using FanForge.GrainInterfaces.Sequences;
using Microsoft.Extensions.Logging;

namespace FanForge.Grains.Nfts;

[GenerateSerializer, Alias("ff.BadgeMintState")]
public sealed class BadgeMintState
{
    /// <summary>The signed creation, stored before it is first sent.</summary>
    [Id(0)] public byte[]? SignedCreation { get; set; }
    [Id(1)] public long NftId { get; set; }
    [Id(2)] public NftRecord? Minted { get; set; }
}

/// <summary>Key <c>butki/{creator}/{fan}/{n}</c>. Mints a soulbound ARC-3 badge: total 1, default-frozen, platform clawback.</summary>
[GrainType("ff.badge-mint")]
public sealed class BadgeMintGrain(
    [PersistentState("badge-mint", StorageNames.Default)] IPersistentState<BadgeMintState> state,
    IAlgodClient algod,
    PlatformAccount platform,
    TimeProvider time,
    ILogger<BadgeMintGrain> logger) : Grain, IBadgeMint
{
    public static string KeyFor(BadgeMintRequest request) => $"butki/{request.Creator}/{request.Fan}/{request.BadgeNumber}";

    public async Task StartAsync(BadgeMintRequest request)
    {
        try
        {
            var minted = state.State.Minted ?? await MintAsync(request);
            await GrainFactory.GetGrain<IFanNfts>(request.Fan).RecordAsync(minted);
            await GrainFactory.GetGrain<IFanLoyalty>(FanLoyaltyKey.For(request.Creator, request.Fan)).BadgeMintedAsync(request.BadgeNumber, minted.AssetId);
        }
        catch (Exception e)
        {
            // One-way: nobody waits for this. The pair's retry reminder asks again; the stored bytes keep it to one ASA.
            logger.LogWarning(e, "Minting Butki badge {Key} failed; it will be retried", KeyFor(request));
        }
    }

    public Task<NftRecord?> GetAsync() => Task.FromResult(state.State.Minted);

    private async Task<NftRecord> MintAsync(BadgeMintRequest request)
    {
        var metadata = Arc3.Butki(request.Creator, request.Fan, request.BadgeNumber);
        if (state.State.SignedCreation is null)
        {
            var chain = await algod.GetTransactionParamsAsync();
            var create = PlatformTransactions.FromParams(chain, TransactionType.AssetConfig, platform.Address) with
            {
                AssetParams = new AssetParams
                {
                    Total = 1,
                    DefaultFrozen = true,
                    UnitName = "BUTKI",
                    AssetName = Arc3.BadgeName(request.BadgeNumber),
                    Url = metadata.Url,
                    MetadataHash = metadata.Hash,
                    Manager = platform.Address,
                    Reserve = platform.Address,
                    Freeze = platform.Address,
                    Clawback = platform.Address,
                },
            };
            create = create.WithFlatFee(chain);
            state.State.SignedCreation = SignedTransaction.Sign(create, platform.Signer).Encode();
            state.State.NftId = (await GrainFactory.GetGrain<IIdSequence>("nft").ReserveAsync(1)).First;
            await state.WriteStateAsync();
        }

        var signed = SignedTransaction.Decode(state.State.SignedCreation);
        // A creation that can never land is forgotten and signed afresh next time: a new window, still one ASA.
        var confirmed = await PlatformTransactions.SubmitOnceAsync(algod, state.State.SignedCreation, ForgetCreationAsync, CancellationToken.None);

        state.State.Minted = new NftRecord(
            state.State.NftId, confirmed.AssetIndex ?? 0, request.Fan, request.Creator, "butki", "soulbound", Arc3.BadgeName(request.BadgeNumber),
            metadata.Url, signed.TxId, time.GetUtcNow(), DeliveryStatus.PendingOptIn);
        await state.WriteStateAsync();
        return state.State.Minted;
    }

    private Task ForgetCreationAsync()
    {
        state.State.SignedCreation = null;
        return state.WriteStateAsync();
    }
}
