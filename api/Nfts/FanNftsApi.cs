using System.Text.Json.Serialization;
using FanForge.Api.Auth;
using FanForge.Api.Ipfs;
using FanForge.Api.Responses;
using FanForge.Grains.Algorand;
using FanForge.GrainInterfaces.Nfts;
using FanForge.GrainInterfaces.Shawty;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FanForge.Api.Nfts;

internal static class FanNftsApi
{
    public static IEndpointRouteBuilder MapFanNfts(this IEndpointRouteBuilder routes)
    {
        var fan = routes.MapGroup("/fan").WithTags("Fan").RequireAuthorization(Policies.WalletOwner);
        fan.MapGet("/{wallet}/pending", GetPendingAsync)
            .WithSummary("NFTs the fan can opt in to and claim now: badges, memberships, stickers, and Shawty tokens it owns that are active and still in platform custody");
        return routes;
    }

    private static async Task<Ok<Envelope<PendingNfts, TotalOnly>>> GetPendingAsync(string wallet, IGrainFactory grains, IpfsGateway gateway)
    {
        var fan = AlgorandAddress.Parse(wallet).ToString();
        var pending = await ClaimableAsync(grains, fan, await grains.GetGrain<IFanNfts>(fan).GetPendingAsync());
        var rows = pending.Select(n => new PendingNft(n.Id, n.AssetId, n.AssetId, n.StickerType, n.MintedAt, n.Name, gateway.UrlOrNull(n.ImageCid), n.CreatorWallet, n.NftClass)).ToList();
        return TypedResults.Ok(Envelope.Of(new PendingNfts(fan, rows), new TotalOnly(rows.Count)));
    }

    /// <summary>
    /// Only what a claim can deliver now. A Shawty token's record stays pending while its token moves on (burned,
    /// locked, given away, claimed), so each is checked against its token, which owns that truth; the fan-out happens
    /// here, outside any grain, as for the fan's Shawty holdings.
    /// </summary>
    private static async Task<IReadOnlyList<NftRecord>> ClaimableAsync(IGrainFactory grains, string fan, IReadOnlyList<NftRecord> pending)
    {
        var tokens = await Task.WhenAll(pending.Where(n => n.NftClass == "shawty")
            .Select(n => grains.GetGrain<IShawtyToken>((long)n.AssetId).GetAsync()));
        var claimable = tokens.OfType<ShawtyTokenView>()
            .Where(t => t.Owner == fan && t.IsRedeemable && !t.InWallet)
            .Select(t => t.AssetId)
            .ToHashSet();
        return [.. pending.Where(n => n.NftClass != "shawty" || claimable.Contains(n.AssetId))];
    }
}

/// <summary>The prototype's fields plus <c>asset_id</c>, which the unchanged FanHub page reads.</summary>
internal sealed record PendingNft(
    long Id, ulong AssetId, [property: JsonPropertyName("asset_id")] ulong AssetIdSnake, string StickerType, DateTimeOffset MintedAt,
    string TemplateName, string? ImageUrl, string CreatorWallet, string NftClass);

internal sealed record PendingNfts(string Wallet, IReadOnlyList<PendingNft> Pending);

internal sealed record TotalOnly(int Total);
