using System.Diagnostics;
using FanForge.Grains.Algorand;
using FanForge.Grains.Algorand.Clients;
using FanForge.Grains.Chain;
using FanForge.Grains.Templates;
using FanForge.GrainInterfaces.Errors;
using FanForge.GrainInterfaces.Loyalty;
using FanForge.GrainInterfaces.Memberships;
using FanForge.GrainInterfaces.Nfts;
using FanForge.GrainInterfaces.Shawty;
using FanForge.GrainInterfaces.Sequences;
using FanForge.GrainInterfaces.Templates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FanForge.Grains.Nfts;

[GenerateSerializer, Alias("ff.BadgeMintState")]
public sealed class NftMintState
{
    /// <summary>The signed creation, stored before it is first sent.</summary>
    [Id(0)] public byte[]? SignedCreation { get; set; }
    [Id(1)] public long NftId { get; set; }
    [Id(2)] public NftRecord? Minted { get; set; }

    /// <summary>The template the mint took (null: the default design), chosen once, before anything is signed.</summary>
    [Id(3)] public StickerTemplate? Template { get; set; }
}

/// <summary>
/// Key <see cref="MintRequest.Key"/>. Mints one ARC-3 ASA (total 1) as <see cref="NftDesign"/> says, into platform
/// custody, then tells the fan's NFT index and the owner of the request.
/// </summary>
// The grain type and state name predate Bauni and Shawty; they are persisted identity and stay.
[GrainType("ff.badge-mint")]
public sealed class NftMintGrain(
    [PersistentState("badge-mint", StorageNames.Default)] IPersistentState<NftMintState> state,
    [PersistentState("mint-attempts", StorageNames.Default)] IPersistentState<MintAttemptsState> attemptsState,
    IOptions<MintRetryOptions> retryOptions,
    IAlgodClient algod,
    PlatformAccount platform,
    TimeProvider time,
    ILogger<NftMintGrain> logger) : Grain, INftMint
{
    private MintAttempts? attempts;

    private MintAttempts Attempts => attempts ??=
        new(this, GrainFactory, attemptsState, retryOptions.Value, () => state.State.Minted, StartAsync, time, logger);

    public async Task StartAsync(MintRequest request)
    {
        if (!Attempts.Begin(request))
        {
            return; // backing off after a failure; a retry is armed for the end of it
        }

        // A child of whatever asked (a payment's delivery, a retry timer): the last step of that payment's processing.
        using var span = PaymentTracing.Source.StartActivity("nft.mint");
        span?.SetTag("fanforge.nft.kind", request.Kind.ToString());
        span?.SetTag("fanforge.nft.mint_key", request.Key);
        try
        {
            var minted = await MintAsync(request);
            span?.SetTag(PaymentTracing.TxId, minted.TxId);
            span?.SetTag("algorand.asset_id", (long)minted.AssetId);
        }
        catch (Exception e)
        {
            span?.SetStatus(ActivityStatusCode.Error, e.Message);
            // One-way: nobody waits for this. The retry is armed with backoff, the owner's reminder asks again after a
            // restart, and the stored bytes keep it to one ASA.
            await Attempts.FailedAsync(request, e);
            return;
        }

        await Attempts.SucceededAsync(request);
    }

    public async Task<NftRecord> MintAsync(MintRequest request)
    {
        var minted = state.State.Minted ?? await CreateAsync(request);
        await GrainFactory.GetGrain<INftDelivery>((long)minted.AssetId).RecordAsync(minted);
        await GrainFactory.GetGrain<IFanNfts>(request.Fan).RecordAsync(minted);
        await TellOwnerAsync(request, minted);
        return minted;
    }

    public Task<NftRecord?> GetAsync() => Task.FromResult(state.State.Minted);

    private Task TellOwnerAsync(MintRequest request, NftRecord minted) => request.Kind switch
    {
        NftKind.Butki => GrainFactory.GetGrain<IFanLoyalty>(FanLoyaltyKey.For(request.Creator, request.Fan)).BadgeMintedAsync(request.BadgeNumber, minted.AssetId),
        NftKind.Bauni => GrainFactory.GetGrain<IMembership>(FanLoyaltyKey.For(request.Creator, request.Fan)).NftMintedAsync(minted.AssetId),
        NftKind.Shawty => IssueShawtyAsync(request, minted),
        NftKind.Sticker or NftKind.Golden => Task.CompletedTask,
        _ => throw new ArgumentOutOfRangeException(nameof(request), request.Kind, "Unknown NFT kind"),
    };

    /// <summary>
    /// Issues the Shawty token, which then tells the buyer's wallet: the calls go one way only (minter, token, wallet),
    /// so a transfer of the token that waits on a wallet can never wait on this issue in turn. A repeat issues nothing
    /// new and tells the wallet again.
    /// </summary>
    private Task IssueShawtyAsync(MintRequest request, NftRecord minted)
    {
        if (request is not { PaidMicroAlgo: { } paid, PaidAt: { } paidAt })
        {
            // A request made before the payment travelled with it: issuing without the price would store a wrong one for
            // good (the first issue wins). The buyer's wallet keeps the purchase pending and its reminder asks again
            // with a request that carries the payment; the NFT itself is minted and kept.
            logger.LogWarning("Shawty mint {Key} landed without its payment; the buyer's wallet will ask again to issue it", request.Key);
            return Task.CompletedTask;
        }

        return GrainFactory.GetGrain<IShawtyToken>((long)minted.AssetId).IssueAsync(
            new ShawtyIssue(request.Fan, request.Creator, request.Reference, paid, paidAt, minted));
    }

    private async Task<NftRecord> CreateAsync(MintRequest request)
    {
        if (state.State.SignedCreation is null)
        {
            state.State.Template = await TakeTemplateAsync(request);
        }

        var template = state.State.Template;
        var design = NftDesign.For(request, template);
        var metadata = Arc3.For(request, design, template);
        if (state.State.SignedCreation is null)
        {
            var chain = await algod.GetTransactionParamsAsync();
            var create = PlatformTransactions.FromParams(chain, TransactionType.AssetConfig, platform.Address) with
            {
                AssetParams = new AssetParams
                {
                    Total = 1,
                    DefaultFrozen = design.Soulbound,
                    UnitName = design.UnitName,
                    AssetName = design.AssetName,
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
            state.State.NftId, confirmed.AssetIndex ?? 0, request.Fan, request.Creator, design.NftClass, design.StickerType, design.AssetName,
            metadata.Url, signed.TxId, time.GetUtcNow(), DeliveryStatus.PendingOptIn, template?.Id, template?.Artwork.ImageCid, template?.Category);
        await state.WriteStateAsync();
        return state.State.Minted;
    }

    /// <summary>
    /// A sticker's own template, or the creator's newest template of the reward's category. The template counts the
    /// mint under the mint's key, so a retry after a crash before the state write counts it once.
    /// </summary>
    private async Task<StickerTemplate?> TakeTemplateAsync(MintRequest request)
    {
        if (request.TemplateId is { } named)
        {
            return await GrainFactory.GetGrain<IStickerTemplate>(named).TakeForMintAsync(request.Key);
        }

        if (TemplateRules.RewardCategory(request.Kind) is not { } category
            || await GrainFactory.GetGrain<ICreatorTemplates>(request.Creator).FindForCategoryAsync(category) is not { } found)
        {
            return null;
        }

        try
        {
            return await GrainFactory.GetGrain<IStickerTemplate>(found).TakeForMintAsync(request.Key);
        }
        catch (DomainException e) when (e.Kind == DomainErrorKind.NotFound)
        {
            // Deleted between the look-up and the take: a reward is never withheld for want of artwork.
            return null;
        }
    }

    private Task ForgetCreationAsync()
    {
        state.State.SignedCreation = null;
        return state.WriteStateAsync();
    }
}
