using System.Text.Json.Serialization;
using FanForge.Api.Audit;
using FanForge.Api.Auth;
using FanForge.Api.Ipfs;
using FanForge.Api.Responses;
using FanForge.GrainInterfaces.Audit;
using FanForge.GrainInterfaces.Errors;
using FanForge.GrainInterfaces.Nfts;
using FanForge.GrainInterfaces.Templates;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FanForge.Api.Nfts;

/// <summary>
/// Platform mints of a creator's template for a fan (<c>/nft/mint/soulbound</c>, <c>/nft/mint/golden</c>), admin only
/// (the prototype left them open to anyone). The sticker waits in platform custody for the fan's opt-in and claim, like every platform mint. A retry
/// with the same X-Idempotency-Key is the same mint; without one, each call mints a new sticker.
/// </summary>
internal static class PlatformMintApi
{
    public static IEndpointRouteBuilder MapPlatformMints(this IEndpointRouteBuilder routes)
    {
        var nft = routes.MapGroup("/nft/mint").WithTags("NFT").RequireAuthorization(Policies.Admin);
        nft.MapPost("/soulbound", (MintStickerRequest request, [FromHeader(Name = RequestValues.IdempotencyHeader)] string? key,
                HttpContext context, IGrainFactory grains, IpfsGateway gateway, AuditRecorder audit) =>
            MintAsync(request, key, golden: false, context, grains, gateway, audit)).Audited(AuditKinds.PlatformMint).WithSummary("Mint a soulbound sticker from a template for a fan (admin)");
        nft.MapPost("/golden", (MintStickerRequest request, [FromHeader(Name = RequestValues.IdempotencyHeader)] string? key,
                HttpContext context, IGrainFactory grains, IpfsGateway gateway, AuditRecorder audit) =>
            MintAsync(request, key, golden: true, context, grains, gateway, audit)).Audited(AuditKinds.PlatformMint).WithSummary("Mint a golden (tradable) sticker from a template for a fan (admin)");
        return routes;
    }

    private static async Task<Ok<MintedSticker>> MintAsync(
        MintStickerRequest request, string? idempotencyHeader, bool golden, HttpContext context, IGrainFactory grains, IpfsGateway gateway, AuditRecorder audit)
    {
        var templateId = RequestValues.PositiveId(request.TemplateId ?? request.TemplateIdSnake, "templateId");
        var fan = RequestValues.Wallet(request.FanWallet ?? request.FanWalletSnake);
        var requestKey = RequestValues.IdempotencyKey(idempotencyHeader) ?? Guid.NewGuid().ToString("N");
        var template = await grains.GetGrain<IStickerTemplate>(templateId).GetAsync()
            ?? throw new DomainException(DomainErrorKind.NotFound, ErrorCodes.NotFound, $"Sticker template {templateId} not found");
        var expected = golden ? "golden" : "soulbound";
        if (template.StickerType != expected)
        {
            throw DomainException.Invalid(TemplateErrors.WrongType, $"Template '{template.Name}' is type '{template.StickerType}', expected '{expected}'");
        }

        var mint = MintRequest.Sticker(golden, template.CreatorWallet, fan, templateId, requestKey);
        var nft = await grains.GetGrain<INftMint>(mint.Key).MintAsync(mint);
        // One mint per request key, and a retry returns it: the mint's key names the entry.
        await audit.RecordAsync(context, new AuditChange(AuditKinds.PlatformMint, $"nft:{mint.Key}", $"nft:{nft.Id}", fan, AuditChanges.Diff(null, new
        {
            sticker_type = nft.StickerType, template_id = templateId, creator_wallet = template.CreatorWallet, fan_wallet = fan, nft_id = nft.Id,
            asset_id = nft.AssetId, txid = nft.TxId,
        })));
        return TypedResults.Ok(new MintedSticker(
            nft.AssetId, nft.Id, nft.StickerType, nft.Name, nft.MetadataUrl, gateway.UrlOrNull(nft.ImageCid), nft.OwnerWallet, nft.TxId, nft.DeliveryStatus,
            $"{(golden ? "Golden" : "Soulbound")} sticker minted; it reaches the fan's wallet when the fan opts in and claims it"));
    }
}

internal sealed record MintStickerRequest(
    long? TemplateId,
    [property: JsonPropertyName("template_id")] long? TemplateIdSnake,
    string? FanWallet,
    [property: JsonPropertyName("fan_wallet")] string? FanWalletSnake);

internal sealed record MintedSticker(
    ulong AssetId, long NftId, string StickerType, string Name, string MetadataUrl, string? ImageUrl, string OwnerWallet, string TxId,
    string DeliveryStatus, string Message);
