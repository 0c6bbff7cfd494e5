using System.Text.Json.Serialization;
using FanForge.Api.Auth;
using FanForge.Api.Ipfs;
using FanForge.Api.Responses;
using FanForge.Grains.Algorand;
using FanForge.GrainInterfaces.Nfts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FanForge.Api.Nfts;

internal static class FanNftsApi
{
    public static IEndpointRouteBuilder MapFanNfts(this IEndpointRouteBuilder routes)
    {
        var fan = routes.MapGroup("/fan").WithTags("Fan").RequireAuthorization(Policies.WalletOwner);
        fan.MapGet("/{wallet}/pending", GetPendingAsync).WithSummary("NFTs minted for the fan that wait for its opt-in and claim");
        return routes;
    }

    private static async Task<Ok<Envelope<PendingNfts, TotalOnly>>> GetPendingAsync(string wallet, IGrainFactory grains, IpfsGateway gateway)
    {
        var fan = AlgorandAddress.Parse(wallet).ToString();
        var pending = await grains.GetGrain<IFanNfts>(fan).GetPendingAsync();
        var rows = pending.Select(n => new PendingNft(n.Id, n.AssetId, n.AssetId, n.StickerType, n.MintedAt, n.Name, gateway.UrlOrNull(n.ImageCid), n.CreatorWallet, n.NftClass)).ToList();
        return TypedResults.Ok(Envelope.Of(new PendingNfts(fan, rows), new TotalOnly(rows.Count)));
    }
}

/// <summary>The prototype's fields plus <c>asset_id</c>, which the unchanged FanHub page reads.</summary>
internal sealed record PendingNft(
    long Id, ulong AssetId, [property: JsonPropertyName("asset_id")] ulong AssetIdSnake, string StickerType, DateTimeOffset MintedAt,
    string TemplateName, string? ImageUrl, string CreatorWallet, string NftClass);

internal sealed record PendingNfts(string Wallet, IReadOnlyList<PendingNft> Pending);

internal sealed record TotalOnly(int Total);
