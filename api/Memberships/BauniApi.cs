using System.Globalization;
using System.Text.Json.Serialization;
using FanForge.Grains.Algorand;
using FanForge.GrainInterfaces.Errors;
using FanForge.GrainInterfaces.Loyalty;
using FanForge.GrainInterfaces.Memberships;
using Microsoft.AspNetCore.Http.HttpResults;

using FanForge.Api.Responses;

namespace FanForge.Api.Memberships;

/// <summary>Bauni memberships, public reads in the prototype's snake_case shapes.</summary>
internal static class BauniApi
{
    public static IEndpointRouteBuilder MapBauni(this IEndpointRouteBuilder routes)
    {
        var bauni = routes.MapGroup("/bauni").WithTags("Bauni").AllowAnonymous();
        bauni.MapGet("/{wallet}/membership/{creatorWallet}", GetMembershipAsync).WithSummary("A fan's Bauni membership of one creator");
        bauni.MapGet("/{wallet}/memberships", GetMembershipsAsync).WithSummary("A fan's Bauni memberships, latest expiry first");
        bauni.MapPost("/verify", VerifyAsync).WithSummary("Whether a fan holds an active membership of a creator now");
        return routes;
    }


    private static Task<MembershipView> MembershipAsync(IGrainFactory grains, string fan, string creator) =>
        grains.GetGrain<IMembership>(FanLoyaltyKey.For(creator, fan)).GetAsync();

    private static async Task<Ok<MembershipResponse>> GetMembershipAsync(string wallet, string creatorWallet, IGrainFactory grains)
    {
        var m = await MembershipAsync(grains, RequestValues.Wallet(wallet), RequestValues.Wallet(creatorWallet));
        return TypedResults.Ok(new MembershipResponse(
            m.Fan, m.Creator, m.IsActive, m.ExpiresAt, m.DaysRemaining, MicroAlgo.ToAlgo(m.PriceMicroAlgo), ValidityDays(m), m.AssetId));
    }

    private static async Task<Ok<MembershipListResponse>> GetMembershipsAsync(
        string wallet, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "active_only")] bool? activeOnly, IGrainFactory grains)
    {
        var fan = RequestValues.Wallet(wallet);
        // Every membership was bought with a TipProxy payment, so the creators the fan paid bound the search.
        var creators = await grains.GetGrain<IFanTipIndex>(fan).GetCreatorsAsync();
        var memberships = await Task.WhenAll(creators.Select(c => MembershipAsync(grains, fan, c)));
        var rows = memberships
            .Where(m => m.Purchases > 0 && (activeOnly != true || m.IsActive))
            .OrderByDescending(m => m.ExpiresAt)
            .Select(m => new MembershipRow(
                m.Creator, m.AssetId, m.PurchasedAt, m.ExpiresAt, m.IsActive, !m.IsActive, m.DaysRemaining,
                MicroAlgo.ToAlgo(m.LastPaidMicroAlgo), m.LastPaidMicroAlgo, m.Purchases))
            .ToList();
        return TypedResults.Ok(new MembershipListResponse(fan, rows, rows.Count));
    }

    private static async Task<Ok<VerifyResponse>> VerifyAsync(VerifyRequest request, IGrainFactory grains)
    {
        var (fan, creator) = (RequestValues.Wallet(Required(request.FanWallet, "fan_wallet")), RequestValues.Wallet(Required(request.CreatorWallet, "creator_wallet")));
        var m = await MembershipAsync(grains, fan, creator);
        var message = m.IsActive
            ? "Access granted — active Bauni membership"
            : $"Access denied — no active Bauni membership. Purchase for {PriceText(m)} ALGO.";
        return TypedResults.Ok(new VerifyResponse(m.IsActive, fan, creator, m.ExpiresAt, m.DaysRemaining, message));
    }

    private static string Required(string? value, string field) =>
        string.IsNullOrWhiteSpace(value) ? throw DomainException.Invalid(ErrorCodes.Validation, $"{field} is required.") : value;

    private static int ValidityDays(MembershipView m) => (int)m.Validity.TotalDays;

    internal static string PriceText(MembershipView m) => MicroAlgo.ToAlgo(m.PriceMicroAlgo).ToString("0.0#####", CultureInfo.InvariantCulture);
}

internal sealed record MembershipResponse(
    [property: JsonPropertyName("fan_wallet")] string FanWallet,
    [property: JsonPropertyName("creator_wallet")] string CreatorWallet,
    [property: JsonPropertyName("is_valid")] bool IsValid,
    [property: JsonPropertyName("expires_at")] DateTimeOffset? ExpiresAt,
    [property: JsonPropertyName("days_remaining")] int DaysRemaining,
    [property: JsonPropertyName("cost_algo")] decimal CostAlgo,
    [property: JsonPropertyName("validity_days")] int ValidityDays,
    [property: JsonPropertyName("asset_id")] ulong? AssetId);

internal sealed record MembershipRow(
    [property: JsonPropertyName("creator_wallet")] string CreatorWallet,
    [property: JsonPropertyName("asset_id")] ulong? AssetId,
    [property: JsonPropertyName("purchased_at")] DateTimeOffset? PurchasedAt,
    [property: JsonPropertyName("expires_at")] DateTimeOffset? ExpiresAt,
    [property: JsonPropertyName("is_active")] bool IsActive,
    [property: JsonPropertyName("is_expired")] bool IsExpired,
    [property: JsonPropertyName("days_remaining")] int DaysRemaining,
    [property: JsonPropertyName("amount_paid_algo")] decimal AmountPaidAlgo,
    [property: JsonPropertyName("amount_paid_micro")] long AmountPaidMicro,
    [property: JsonPropertyName("purchases")] int Purchases);

internal sealed record MembershipListResponse(
    [property: JsonPropertyName("fan_wallet")] string FanWallet,
    [property: JsonPropertyName("memberships")] IReadOnlyList<MembershipRow> Memberships,
    [property: JsonPropertyName("total")] int Total);

internal sealed record VerifyRequest(
    [property: JsonPropertyName("fan_wallet")] string? FanWallet,
    [property: JsonPropertyName("creator_wallet")] string? CreatorWallet);

internal sealed record VerifyResponse(
    [property: JsonPropertyName("is_valid")] bool IsValid,
    [property: JsonPropertyName("fan_wallet")] string FanWallet,
    [property: JsonPropertyName("creator_wallet")] string CreatorWallet,
    [property: JsonPropertyName("expires_at")] DateTimeOffset? ExpiresAt,
    [property: JsonPropertyName("days_remaining")] int DaysRemaining,
    [property: JsonPropertyName("message")] string Message);
