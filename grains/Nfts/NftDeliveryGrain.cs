using FanForge.Grains.Algorand;
using FanForge.Grains.Algorand.Clients;
using FanForge.Grains.Chain;
using FanForge.GrainInterfaces.Errors;
using FanForge.GrainInterfaces.Nfts;
using Orleans.Concurrency;

namespace FanForge.Grains.Nfts;

[GenerateSerializer, Alias("ff.NftDeliveryState")]
public sealed class NftDeliveryState
{
    /// <summary>The signed clawback transfer, stored before it is first sent.</summary>
    [Id(0)] public byte[]? SignedTransfer { get; set; }
    [Id(1)] public NftRecord? Delivered { get; set; }

    /// <summary>The NFT as minted (its owner is the fan it was minted for).</summary>
    [Id(2)] public NftRecord? Minted { get; set; }
}

/// <summary>Key: asset id. Soulbound NFTs are default-frozen, so delivery is a clawback by the platform, which holds it.</summary>
[GrainType("ff.nft-delivery")]
public sealed class NftDeliveryGrain(
    [PersistentState("nft-delivery", StorageNames.Default)] IPersistentState<NftDeliveryState> state,
    IAlgodClient algod,
    PlatformAccount platform) : Grain, INftDelivery
{
    private ulong AssetId => (ulong)this.GetPrimaryKeyLong();

    public async Task<byte[]> BuildOptInAsync(string fan)
    {
        var chain = await algod.GetTransactionParamsAsync();
        var wallet = AlgorandAddress.Parse(fan);
        var optIn = PlatformTransactions.FromParams(chain, TransactionType.AssetTransfer, wallet) with { TransferAssetId = AssetId, AssetReceiver = wallet };
        return optIn.WithFlatFee(chain).Encode();
    }

    public async Task<NftRecord> ClaimAsync(string fan)
    {
        if (state.State.Delivered is { } delivered)
        {
            return delivered.OwnerWallet == fan ? delivered : throw NotPending();
        }

        if (state.State.Minted is { } minted && minted.OwnerWallet != fan)
        {
            throw NotPending();
        }

        var nft = (await GrainFactory.GetGrain<IFanNfts>(fan).GetPendingAsync()).FirstOrDefault(n => n.AssetId == AssetId) ?? throw NotPending();
        if (nft.NftClass == "shawty")
        {
            // A Shawty's owner lives in its token grain (custody transfers move it without this record), which orders
            // the claim with the token's other writes and then calls DeliverTokenAsync; the API routes claims there.
            throw DomainException.Conflict("custodial_token", $"Shawty token ASA {AssetId} is claimed through its token.");
        }

        return await DeliverAsync(fan, nft);
    }

    public async Task<NftRecord> DeliverTokenAsync(string owner)
    {
        if (state.State.Delivered is { } delivered)
        {
            return delivered.OwnerWallet == owner ? delivered : throw NotPending();
        }

        var minted = state.State.Minted is { NftClass: "shawty" } shawty ? shawty : throw NotPending();
        return await DeliverAsync(owner, minted with { OwnerWallet = owner });
    }

    /// <summary>The one clawback transfer from custody to <paramref name="fan"/>, signed and stored before it is first sent.</summary>
    private async Task<NftRecord> DeliverAsync(string fan, NftRecord nft)
    {
        var wallet = AlgorandAddress.Parse(fan);
        if (await algod.GetAccountAssetAsync(wallet, AssetId) is null)
        {
            throw DomainException.Invalid(NftErrors.NotOptedIn, $"Fan has not opted into ASA {AssetId}. Please opt-in via Pera Wallet first.", new { asset_id = AssetId });
        }

        if (state.State.SignedTransfer is null)
        {
            var chain = await algod.GetTransactionParamsAsync();
            var transfer = PlatformTransactions.FromParams(chain, TransactionType.AssetTransfer, platform.Address) with
            {
                TransferAssetId = AssetId,
                AssetAmount = 1,
                AssetSender = platform.Address,
                AssetReceiver = wallet,
            };
            state.State.SignedTransfer = SignedTransaction.Sign(transfer.WithFlatFee(chain), platform.Signer).Encode();
            await state.WriteStateAsync();
        }

        // Stored bytes always name this fan: a badge has one owner, and a Shawty token resumes an interrupted claim for
        // the same owner before it allows any other write (a custody transfer included).
        var txId = SignedTransaction.Decode(state.State.SignedTransfer).TxId;
        await PlatformTransactions.SubmitOnceAsync(algod, state.State.SignedTransfer, ForgetTransferAsync, CancellationToken.None);
        state.State.Delivered = nft with { DeliveryStatus = DeliveryStatus.Delivered, TxId = txId };
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IFanNfts>(fan).RecordAsync(state.State.Delivered);
        return state.State.Delivered;
    }

    public async Task<NftRecord> GiveAsync(string from, string to)
    {
        var nft = state.State.Minted;
        if (nft is null || nft.StickerType != "golden" || nft.NftClass == "shawty")
        {
            throw NotPending();
        }

        if (state.State.Delivered is not null || state.State.SignedTransfer is not null)
        {
            throw DomainException.Conflict("in_wallet", $"ASA {AssetId} is in the owner's wallet: transfer it from the wallet (it is a plain, unfrozen ASA).");
        }

        if (from == to || (nft.OwnerWallet != from && nft.OwnerWallet != to))
        {
            return from == to && nft.OwnerWallet == from ? nft : throw NotPending();
        }

        if (nft.OwnerWallet == from)
        {
            nft = nft with { OwnerWallet = to };
            state.State.Minted = nft;
            await state.WriteStateAsync();
        }

        // Given already (a retry) or just now: the indexes follow; the receiver's first, so it is never shown nowhere.
        await GrainFactory.GetGrain<IFanNfts>(to).RecordAsync(nft);
        await GrainFactory.GetGrain<IFanNfts>(from).RemoveAsync(AssetId);
        return nft;
    }

    public async Task RecordAsync(NftRecord minted)
    {
        if (state.State.Minted is null)
        {
            state.State.Minted = minted;
            await state.WriteStateAsync();
        }
    }

    public Task<NftRecord?> GetAsync() => Task.FromResult(state.State.Delivered ?? state.State.Minted);

    private DomainException NotPending() =>
        new(DomainErrorKind.NotFound, ErrorCodes.NotFound, "No pending NFT found with that ID for this wallet", new { asset_id = AssetId });

    private Task ForgetTransferAsync()
    {
        state.State.SignedTransfer = null;
        return state.WriteStateAsync();
    }
}

/// <summary>Stateless: any silo reads the node for the API.</summary>
[StatelessWorker]
[GrainType("ff.chain-info")]
public sealed class ChainInfoGrain(IAlgodClient algod, ITipProxyPrograms programs, PlatformAccount platform) : Grain, IChainInfo
{
    public async Task<TipProxyDeployment> GetTipProxyDeploymentAsync()
    {
        var (approval, clear) = await programs.GetAsync(CancellationToken.None);
        return new TipProxyDeployment(approval, clear, platform.Address.ToString());
    }

    public async Task<ChainParams> GetParamsAsync()
    {
        var chain = await algod.GetTransactionParamsAsync();
        return new ChainParams(chain.FeePerByte, chain.MinFee, chain.LastRound, chain.GenesisId, chain.GenesisHash);
    }
}
