using System.Text.Json.Serialization;
using FanForge.Api.Auth;
using FanForge.Api.Ipfs;
using FanForge.Api.Responses;
using FanForge.GrainInterfaces.Errors;
using FanForge.GrainInterfaces.Nfts;
using FanForge.GrainInterfaces.Shawty;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FanForge.Api.Nfts;

/// <summary>Chain parameters, NFT opt-in and claim, and NFT inventories, in the prototype's camelCase shapes.</summary>
internal static class NftApi
{
    public static IEndpointRouteBuilder MapNfts(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/params", GetParamsAsync).WithTags("System").AllowAnonymous()
            .WithSummary("Suggested transaction parameters (fee per byte, validity window, genesis)");

        var nft = routes.MapGroup("/nft").WithTags("NFT");
        nft.MapPost("/optin", OptInAsync).RequireAuthorization(Policies.Authenticated)
            .WithSummary("The unsigned opt-in transaction for an NFT (fanWallet must be the caller)");
        nft.MapGet("/inventory/{wallet}", GetInventoryAsync).AllowAnonymous()
            .WithSummary("A wallet's NFTs, newest first (skip, limit 1..100)");
        nft.MapGet("/{assetId:long}", GetNftAsync).AllowAnonymous()
            .WithSummary("One platform-minted NFT by asset id");
        nft.MapPost("/transfer", TransferAsync).RequireAuthorization(Policies.Authenticated)
            .WithSummary("Give a golden (tradable) NFT to another wallet; soulbound ones are refused 409");

        var fan = routes.MapGroup("/fan").WithTags("Fan").RequireAuthorization(Policies.WalletOwner);
        fan.MapGet("/{wallet}/inventory", GetFanInventoryAsync).WithSummary("The fan's NFTs, newest first (skip, limit 1..100)");
        fan.MapPost("/{wallet}/claim/{nftId:long}", ClaimAsync)
            .WithSummary("Deliver a pending NFT (a Shawty token too) to the fan's wallet by one clawback transfer, after its opt-in; idempotent");
        return routes;
    }

    private static async Task<Ok<ParamsResponse>> GetParamsAsync(IGrainFactory grains)
    {
        var chain = await grains.GetGrain<IChainInfo>(0).GetParamsAsync();
        return TypedResults.Ok(new ParamsResponse(chain.FeePerByte, chain.LastRound, chain.LastRound + 1000, chain.GenesisId,
            Convert.ToBase64String(chain.GenesisHash), chain.MinFee));
    }

    private static async Task<Ok<OptInResponse>> OptInAsync(OptInRequest request, HttpContext context, IGrainFactory grains)
    {
        var fan = RequestValues.Wallet(request.FanWallet ?? request.FanWalletSnake);
        var assetId = (ulong)RequestValues.PositiveId(request.AssetId ?? request.AssetIdSnake, "assetId");
        context.User.RequireCallerWallet(fan, "fanWallet");
        var unsigned = await grains.GetGrain<INftDelivery>((long)assetId).BuildOptInAsync(fan);
        return TypedResults.Ok(new OptInResponse(Convert.ToBase64String(unsigned), assetId, fan, "Sign this transaction with Pera Wallet to opt-in to the asset"));
    }

    private static async Task<Ok<ClaimResponse>> ClaimAsync(string wallet, long nftId, IGrainFactory grains)
    {
        var fan = RequestValues.Wallet(wallet);
        var nft = (await grains.GetGrain<IFanNfts>(fan).GetAllAsync()).FirstOrDefault(n => n.Id == nftId)
            ?? throw new DomainException(DomainErrorKind.NotFound, ErrorCodes.NotFound, "No pending NFT found with that ID for this wallet", new { nft_id = nftId });
        // A Shawty token orders its claim with its other writes (its owner may have changed in custody since the mint).
        var delivered = nft.NftClass == "shawty"
            ? await grains.GetGrain<IShawtyToken>((long)nft.AssetId).ClaimAsync(fan)
            : await grains.GetGrain<INftDelivery>((long)nft.AssetId).ClaimAsync(fan);
        return TypedResults.Ok(new ClaimResponse(delivered.DeliveryStatus, delivered.AssetId, delivered.TxId));
    }

    private static async Task<NftRecord> FindAsync(IGrainFactory grains, long assetId)
    {
        var nft = assetId > 0 ? await grains.GetGrain<INftDelivery>(assetId).GetAsync() : null;
        if (nft is null)
        {
            throw new DomainException(DomainErrorKind.NotFound, ErrorCodes.NotFound, $"NFT with asset ID {assetId} not found", new { asset_id = assetId });
        }

        // A Shawty's owner moves with /shawty/transfer; its token grain is the one that knows.
        return nft.NftClass == "shawty" && await grains.GetGrain<IShawtyToken>(assetId).GetAsync() is { } token ? nft with { OwnerWallet = token.Owner } : nft;
    }

    private static async Task<Ok<NftDetail>> GetNftAsync(long assetId, IGrainFactory grains, IpfsGateway gateway) =>
        TypedResults.Ok(NftDetail.From(await FindAsync(grains, assetId), gateway));

    private static async Task<Ok<TransferResponse>> TransferAsync(TransferRequest request, HttpContext context, IGrainFactory grains)
    {
        var receiver = RequestValues.Wallet(request.ReceiverWallet ?? request.ReceiverWalletSnake);
        var assetId = RequestValues.PositiveId(request.AssetId ?? request.AssetIdSnake, "assetId");
        var nft = await FindAsync(grains, assetId);
        if (nft.StickerType != "golden")
        {
            throw DomainException.Conflict("soulbound", "Only golden (tradable) stickers can be transferred. Soulbound stickers are permanently bound to the original recipient.");
        }

        var caller = context.User.WalletOf()!;
        // A Shawty's owner lives in its token grain; a golden sticker's in its delivery grain, while in custody.
        var owner = nft.NftClass == "shawty"
            ? (await grains.GetGrain<IShawtyToken>(assetId).TransferAsync(caller, receiver)).Owner
            : (await grains.GetGrain<INftDelivery>(assetId).GiveAsync(caller, receiver)).OwnerWallet;
        return TypedResults.Ok(new TransferResponse(true, (ulong)assetId, caller, owner, TxId: null, $"NFT {assetId} transferred to {receiver[..8]}..."));
    }

    private static async Task<(IReadOnlyList<NftRow> Page, int Total, int Skip, int Limit)> PageAsync(
        IGrainFactory grains, IpfsGateway gateway, string fan, int? skip, int? limit)
    {
        var (take, offset) = RequestValues.Page(limit, skip, 50, 100);
        var all = await grains.GetGrain<IFanNfts>(fan).GetAllAsync();
        return ([.. all.Skip(offset).Take(take).Select(n => NftRow.From(n, gateway))], all.Count, offset, take);
    }

    private static async Task<Ok<InventoryResponse>> GetInventoryAsync(string wallet, int? skip, int? limit, IGrainFactory grains, IpfsGateway gateway)
    {
        var fan = RequestValues.Wallet(wallet);
        var (page, total, offset, take) = await PageAsync(grains, gateway, fan, skip, limit);
        return TypedResults.Ok(new InventoryResponse(fan, page, page.Count, total, offset, take, offset + page.Count < total,
            page.Count(n => n.StickerType == "soulbound"), page.Count(n => n.StickerType == "golden")));
    }

    private static async Task<Ok<Envelope<IReadOnlyList<NftRow>, InventoryMeta>>> GetFanInventoryAsync(string wallet, int? skip, int? limit, IGrainFactory grains, IpfsGateway gateway)
    {
        var fan = RequestValues.Wallet(wallet);
        var (page, total, offset, take) = await PageAsync(grains, gateway, fan, skip, limit);
        return TypedResults.Ok(Envelope.Of(page, new InventoryMeta(take, offset, offset, total, offset + page.Count < total, fan,
            page.Count(n => n.StickerType == "soulbound"), page.Count(n => n.StickerType == "golden"))));
    }
}

internal sealed record ParamsResponse(ulong Fee, ulong FirstValidRound, ulong LastValidRound, string GenesisId, string GenesisHash, ulong MinFee);

internal sealed record OptInRequest(
    long? AssetId,
    [property: JsonPropertyName("asset_id")] long? AssetIdSnake,
    string? FanWallet,
    [property: JsonPropertyName("fan_wallet")] string? FanWalletSnake);

internal sealed record OptInResponse(string UnsignedTxn, ulong AssetId, string FanWallet, string Message);

internal sealed record ClaimResponse(string Status, ulong AssetId, string TxId);

internal sealed record TransferRequest(
    long? AssetId,
    [property: JsonPropertyName("asset_id")] long? AssetIdSnake,
    string? ReceiverWallet,
    [property: JsonPropertyName("receiver_wallet")] string? ReceiverWalletSnake);

/// <summary>The prototype's shape; <c>txId</c> is null: the NFT changes hands in platform custody, no transaction moves it.</summary>
internal sealed record TransferResponse(bool Success, ulong AssetId, string FromWallet, string ReceiverWallet, string? TxId, string Message);

/// <summary>The prototype's NFT detail (camelCase) plus the snake_case fields the unchanged FanHub reads.</summary>
internal sealed record NftDetail(
    long Id, ulong AssetId, long? TemplateId, string OwnerWallet, string StickerType, string TxId, DateTimeOffset? ExpiresAt, DateTimeOffset MintedAt,
    string TemplateName, string? ImageUrl, string MetadataUrl, string Category, string CreatorWallet, string DeliveryStatus,
    [property: JsonPropertyName("asset_id")] ulong AssetIdSnake,
    [property: JsonPropertyName("sticker_type")] string StickerTypeSnake,
    [property: JsonPropertyName("owner_wallet")] string OwnerWalletSnake,
    [property: JsonPropertyName("minted_at")] DateTimeOffset MintedAtSnake)
{
    public static NftDetail From(NftRecord n, IpfsGateway gateway) => new(
        n.Id, n.AssetId, n.TemplateId, n.OwnerWallet, n.StickerType, n.TxId, null, n.MintedAt, n.Name, gateway.UrlOrNull(n.ImageCid), n.MetadataUrl,
        n.Category ?? n.NftClass, n.CreatorWallet, n.DeliveryStatus, n.AssetId, n.StickerType, n.OwnerWallet, n.MintedAt);
}

/// <summary>The prototype's camelCase NFT fields plus the snake_case ones the unchanged FanHub reads.</summary>
internal sealed record NftRow(
    long Id, ulong AssetId, long? TemplateId, string OwnerWallet, string StickerType, string DeliveryStatus, string TxId, DateTimeOffset? ExpiresAt,
    DateTimeOffset MintedAt, string TemplateName, string? ImageUrl, string MetadataUrl, string Category, string CreatorWallet,
    [property: JsonPropertyName("asset_id")] ulong AssetIdSnake,
    [property: JsonPropertyName("image_url")] string? ImageUrlSnake,
    [property: JsonPropertyName("template_name")] string TemplateNameSnake,
    [property: JsonPropertyName("sticker_type")] string StickerTypeSnake,
    [property: JsonPropertyName("creator_wallet")] string CreatorWalletSnake,
    [property: JsonPropertyName("nft_class")] string NftClass)
{
    public static NftRow From(NftRecord n, IpfsGateway gateway)
    {
        var imageUrl = gateway.UrlOrNull(n.ImageCid);
        return new(n.Id, n.AssetId, n.TemplateId, n.OwnerWallet, n.StickerType, n.DeliveryStatus, n.TxId, null, n.MintedAt, n.Name, imageUrl, n.MetadataUrl,
            n.Category ?? n.NftClass, n.CreatorWallet, n.AssetId, imageUrl, n.Name, n.StickerType, n.CreatorWallet, n.NftClass);
    }
}

internal sealed record InventoryResponse(
    string Wallet, IReadOnlyList<NftRow> Nfts, int Total, int TotalCount, int Skip, int Limit, bool HasMore, int TotalSoulbound, int TotalGolden);

internal sealed record InventoryMeta(int Limit, int Offset, int Skip, int Total, bool HasMore, string Wallet, int TotalSoulbound, int TotalGolden);
