using System.Text.Json.Serialization;
using FanForge.Api.Auth;
using FanForge.Grains.Algorand;
using FanForge.Grains.Shawty;
using FanForge.GrainInterfaces.Shawty;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

using FanForge.Api.Responses;

namespace FanForge.Api.Shawty;

/// <summary>
/// Shawty tokens in the prototype's snake_case shapes (<c>/shawty/…</c>) plus the aliases the unchanged FanHub reads.
/// Body-wallet routes admit any token and then require the body wallet to be the token's wallet.
/// </summary>
internal static class ShawtyApi
{
    public static RouteGroupBuilder MapShawty(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/shawty").WithTags("Shawty");

        group.MapGet("/{wallet}/tokens", GetTokensAsync)
            .RequireAuthorization(Policies.WalletOwner)
            .WithSummary("The fan's Shawty tokens (burned and locked ones only with include_spent=true)");
        group.MapPost("/burn", BurnAsync)
            .RequireAuthorization(Policies.Authenticated)
            .WithSummary("Burn a token for merch (fan_wallet must be the token's wallet); a retry returns the first result");
        group.MapPost("/lock", LockAsync)
            .RequireAuthorization(Policies.Authenticated)
            .WithSummary("Lock a token for a discount (fan_wallet must be the token's wallet); a retry returns the first result");
        group.MapPost("/transfer", TransferAsync)
            .RequireAuthorization(Policies.Authenticated)
            .WithSummary("Give an active token still in platform custody to another fan (from_wallet must be the token's wallet); a claimed one moves from its wallet (409 in_wallet)");
        group.MapGet("/{wallet}/validate/{assetId}", ValidateAsync)
            .AllowAnonymous()
            .WithSummary("Whether the wallet owns the token and it is still usable");
        group.MapGet("/{wallet}/redemptions", GetRedemptionsAsync)
            .AllowAnonymous()
            .WithSummary("The fan's burns and locks, newest first (limit 1..200)");

        return group;
    }


    private static IShawtyToken Token(IGrainFactory grains, ulong assetId) => grains.GetGrain<IShawtyToken>((long)assetId);


    private static async Task<Ok<ShawtyTokensResponse>> GetTokensAsync(
        string wallet, [FromQuery(Name = "include_spent")] bool? includeSpent, IGrainFactory grains)
    {
        var fan = RequestValues.Wallet(wallet);
        var tokens = await ShawtyHoldings.ReadAsync(grains, fan, includeSpent ?? false);
        var rows = tokens.Select(ShawtyTokenRow.From).ToList();
        return TypedResults.Ok(new ShawtyTokensResponse(fan, rows, rows.Count, rows.Count(r => r.IsRedeemable)));
    }

    // Input first (400), then the caller (403), then the token's own rules (404/403/409), as the prototype orders them.
    private static async Task<Ok<ShawtySpendResponse>> BurnAsync(BurnRequest request, HttpContext context, IGrainFactory grains)
    {
        var fan = RequestValues.Wallet(request.FanWallet);
        var assetId = ShawtyRules.ValidAssetId(request.AssetId);
        var item = ShawtyRules.ValidDescription(request.ItemDescription, "item_description");
        context.User.RequireCallerWallet(fan, "fan_wallet");

        await Token(grains, assetId).BurnAsync(fan, item);
        return TypedResults.Ok(new ShawtySpendResponse(true, $"Shawty ASA {assetId} burned for: {item}", assetId, ShawtyEntryTypes.BurnMerch));
    }

    private static async Task<Ok<ShawtySpendResponse>> LockAsync(LockRequest request, HttpContext context, IGrainFactory grains)
    {
        var fan = RequestValues.Wallet(request.FanWallet);
        var assetId = ShawtyRules.ValidAssetId(request.AssetId);
        var discount = ShawtyRules.ValidDescription(request.DiscountDescription, "discount_description");
        context.User.RequireCallerWallet(fan, "fan_wallet");

        await Token(grains, assetId).LockAsync(fan, discount);
        return TypedResults.Ok(new ShawtySpendResponse(true, $"Shawty ASA {assetId} locked for: {discount}", assetId, ShawtyEntryTypes.LockDiscount));
    }

    private static async Task<Ok<ShawtyTransferResponse>> TransferAsync(TransferRequest request, HttpContext context, IGrainFactory grains)
    {
        var (from, to) = (RequestValues.Wallet(request.FromWallet), RequestValues.Wallet(request.ToWallet));
        var assetId = ShawtyRules.ValidAssetId(request.AssetId);
        context.User.RequireCallerWallet(from, "from_wallet");

        await Token(grains, assetId).TransferAsync(from, to);
        return TypedResults.Ok(new ShawtyTransferResponse(true, $"Shawty ASA {assetId} transferred to {to[..8]}...", assetId, from, to));
    }

    private static async Task<Ok<ShawtyValidationResponse>> ValidateAsync(string wallet, long assetId, IGrainFactory grains)
    {
        var fan = RequestValues.Wallet(wallet);
        var id = ShawtyRules.ValidAssetId(assetId);
        var token = await Token(grains, id).GetAsync();
        var valid = token is { IsRedeemable: true } && token.Owner == fan;
        return TypedResults.Ok(new ShawtyValidationResponse(fan, id, valid, token?.IsBurned ?? false, token?.IsLocked ?? false, valid));
    }

    private static async Task<Ok<ShawtyRedemptionsResponse>> GetRedemptionsAsync(string wallet, int? limit, IGrainFactory grains)
    {
        var fan = RequestValues.Wallet(wallet);
        var take = RequestValues.Limit(limit, 50, ShawtyRules.RedemptionHistoryCapacity);

        var history = await grains.GetGrain<IFanShawty>(fan).GetRedemptionsAsync(take);
        var rows = history.Select(r => new ShawtyRedemptionRow(r.AssetId, r.Type, r.Description, r.RedeemedAt, r.AssetId, r.Type)).ToList();
        return TypedResults.Ok(new ShawtyRedemptionsResponse(fan, rows, rows.Count));
    }
}

internal sealed record BurnRequest(
    [property: JsonPropertyName("fan_wallet")] string? FanWallet,
    [property: JsonPropertyName("asset_id")] long? AssetId,
    [property: JsonPropertyName("item_description")] string? ItemDescription);

internal sealed record LockRequest(
    [property: JsonPropertyName("fan_wallet")] string? FanWallet,
    [property: JsonPropertyName("asset_id")] long? AssetId,
    [property: JsonPropertyName("discount_description")] string? DiscountDescription);

internal sealed record TransferRequest(
    [property: JsonPropertyName("from_wallet")] string? FromWallet,
    [property: JsonPropertyName("to_wallet")] string? ToWallet,
    [property: JsonPropertyName("asset_id")] long? AssetId);

/// <summary>
/// The prototype's token fields plus <c>amount_paid_micro</c> (FanHub reads it), who holds the ASA on the chain, whether
/// it is in the owner's wallet (claimed) and whether that holding is frozen (a claimed token locked for a discount).
/// </summary>
internal sealed record ShawtyTokenRow(
    [property: JsonPropertyName("asset_id")] ulong AssetId,
    [property: JsonPropertyName("creator_wallet")] string CreatorWallet,
    [property: JsonPropertyName("is_burned")] bool IsBurned,
    [property: JsonPropertyName("is_locked")] bool IsLocked,
    [property: JsonPropertyName("is_redeemable")] bool IsRedeemable,
    [property: JsonPropertyName("purchased_at")] DateTimeOffset PurchasedAt,
    [property: JsonPropertyName("amount_paid_algo")] decimal AmountPaidAlgo,
    [property: JsonPropertyName("amount_paid_micro")] long AmountPaidMicro,
    [property: JsonPropertyName("ledger_holder")] string LedgerHolder,
    [property: JsonPropertyName("in_wallet")] bool InWallet,
    [property: JsonPropertyName("ledger_frozen")] bool LedgerFrozen)
{
    public static ShawtyTokenRow From(ShawtyTokenView t) => new(
        t.AssetId, t.Creator, t.IsBurned, t.IsLocked, t.IsRedeemable, t.PurchasedAt, MicroAlgo.ToAlgo(t.AmountPaidMicroAlgo),
        t.AmountPaidMicroAlgo, t.LedgerHolder, t.InWallet, t.LedgerFrozen);
}

internal sealed record ShawtyTokensResponse(
    [property: JsonPropertyName("fan_wallet")] string FanWallet,
    [property: JsonPropertyName("tokens")] IReadOnlyList<ShawtyTokenRow> Tokens,
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("redeemable_count")] int RedeemableCount);

internal sealed record ShawtySpendResponse(
    [property: JsonPropertyName("success")] bool Success,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("asset_id")] ulong AssetId,
    [property: JsonPropertyName("redemption_type")] string RedemptionType);

internal sealed record ShawtyTransferResponse(
    [property: JsonPropertyName("success")] bool Success,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("asset_id")] ulong AssetId,
    [property: JsonPropertyName("from_wallet")] string FromWallet,
    [property: JsonPropertyName("to_wallet")] string ToWallet);

internal sealed record ShawtyValidationResponse(
    [property: JsonPropertyName("fan_wallet")] string FanWallet,
    [property: JsonPropertyName("asset_id")] ulong AssetId,
    [property: JsonPropertyName("is_valid")] bool IsValid,
    [property: JsonPropertyName("is_burned")] bool IsBurned,
    [property: JsonPropertyName("is_locked")] bool IsLocked,
    [property: JsonPropertyName("is_redeemable")] bool IsRedeemable);

/// <summary>The prototype's fields plus <c>shawty_asset_id</c> and <c>redemption_type</c>, which FanHub reads.</summary>
internal sealed record ShawtyRedemptionRow(
    [property: JsonPropertyName("asset_id")] ulong AssetId,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("redeemed_at")] DateTimeOffset RedeemedAt,
    [property: JsonPropertyName("shawty_asset_id")] ulong ShawtyAssetId,
    [property: JsonPropertyName("redemption_type")] string RedemptionType);

internal sealed record ShawtyRedemptionsResponse(
    [property: JsonPropertyName("fan_wallet")] string FanWallet,
    [property: JsonPropertyName("redemptions")] IReadOnlyList<ShawtyRedemptionRow> Redemptions,
    [property: JsonPropertyName("total")] int Total);
