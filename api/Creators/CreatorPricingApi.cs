using System.Text.Json.Serialization;
using FanForge.Api.Audit;
using FanForge.Api.Auth;
using FanForge.Api.Responses;
using FanForge.Grains.Algorand;
using FanForge.Grains.Creators;
using FanForge.GrainInterfaces.Audit;
using FanForge.GrainInterfaces.Creators;
using FanForge.GrainInterfaces.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FanForge.Api.Creators;

/// <summary>
/// A creator's own prices: the Butki minimum tip, the Bauni membership price and validity, the Shawty price. A change
/// applies to payments confirmed from the chain's next round on; earlier payments keep the prices of their round.
/// </summary>
internal static class CreatorPricingApi
{
    /// <summary>Far above any accepted price: larger input is refused before it is converted to micro-ALGO.</summary>
    private const decimal MaxAlgoInput = 1_000_000_000m;

    public static IEndpointRouteBuilder MapCreatorPricing(this IEndpointRouteBuilder routes)
    {
        var creator = routes.MapGroup("/creator/{wallet}").WithTags("Creator");
        creator.MapGet("/pricing", GetAsync).AllowAnonymous()
            .WithSummary("A creator's prices now (public: fans pay them), each change with the round it applies from, newest first");
        creator.MapPatch("/pricing", PatchAsync).RequireAuthorization(Policies.Creator).Audited(AuditKinds.PricingChanged)
            .WithSummary("Change any of butki_min_tip_algo (0.1–10,000), membership_price_algo and shawty_price_algo (0.1–100,000), "
                + "membership_validity_days (1–365); applies from the chain's next round; the same values again change nothing; "
                + "out of range → 400 invalid_pricing, nothing changed");
        return routes;
    }

    private static async Task<Ok<PricingResponse>> GetAsync(string wallet, IGrainFactory grains)
    {
        var creator = RequestValues.Wallet(wallet);
        return TypedResults.Ok(PricingResponse.From(creator, await grains.GetGrain<ICreator>(creator).GetPricingAsync()));
    }

    private static async Task<Ok<PricingResponse>> PatchAsync(string wallet, PricingPatch request, HttpContext context, IGrainFactory grains, AuditRecorder audit)
    {
        var creator = RequestValues.Wallet(wallet);
        var patch = new PriceSettings(
            Micro(request.ButkiMinTipAlgo, "butki_min_tip_algo"),
            Micro(request.MembershipPriceAlgo, "membership_price_algo"),
            request.MembershipValidityDays is { } days
                ? days is >= 1 and <= 365 ? TimeSpan.FromDays(days) : throw Invalid("membership_validity_days", "a whole number of days from 1 to 365")
                : null,
            Micro(request.ShawtyPriceAlgo, "shawty_price_algo"));
        var view = await grains.GetGrain<ICreator>(creator).SetPricingAsync(patch);
        if (PriceChangeAudit(creator, view) is { } change)
        {
            await audit.RecordAsync(context, change);
        }

        return TypedResults.Ok(PricingResponse.From(creator, view));
    }

    /// <summary>
    /// The newest change, which after a successful PATCH is the prices the patch asked for: made by this request, or by
    /// the first attempt of a retry, which changes nothing and records the change if that attempt could not. Keyed by
    /// the change itself (its round and time), so recording it again adds nothing.
    /// </summary>
    private static AuditChange? PriceChangeAudit(string creator, CreatorPricingView view)
    {
        var changes = view.Schedule.Changes;
        if (changes.Count == 0)
        {
            return null;
        }

        var (latest, previous) = (changes[^1], changes.Count > 1 ? changes[^2].Settings : PriceSettings.None);
        return new AuditChange(
            AuditKinds.PricingChanged, $"creator:{creator}:pricing@{latest.EffectiveFromRound}/{latest.ChangedAt.UtcTicks}", $"creator:{creator}", creator,
            AuditChanges.Diff(AuditedPrices.Of(previous.Over(view.Defaults), null), AuditedPrices.Of(latest.Settings.Over(view.Defaults), latest.EffectiveFromRound)));
    }

    private static long? Micro(decimal? algo, string field) => algo switch
    {
        null => null,
        < 0 or > MaxAlgoInput => throw Invalid(field, "a positive amount of ALGO"),
        { } value when !MicroAlgo.IsWholeMicroAlgo(value) => throw Invalid(field, "at most 6 decimals"),
        { } value => MicroAlgo.FromAlgo(value),
    };

    private static DomainException Invalid(string field, string what) =>
        DomainException.Invalid(PricingErrors.InvalidPricing, $"{field} must be {what}.", new { field });
}

internal sealed record PricingPatch(
    [property: JsonPropertyName("butki_min_tip_algo")] decimal? ButkiMinTipAlgo,
    [property: JsonPropertyName("membership_price_algo")] decimal? MembershipPriceAlgo,
    [property: JsonPropertyName("membership_validity_days")] int? MembershipValidityDays,
    [property: JsonPropertyName("shawty_price_algo")] decimal? ShawtyPriceAlgo);

internal sealed record PriceFields(
    [property: JsonPropertyName("butki_min_tip_algo")] decimal ButkiMinTipAlgo,
    [property: JsonPropertyName("butki_min_tip_micro")] long ButkiMinTipMicro,
    [property: JsonPropertyName("membership_price_algo")] decimal MembershipPriceAlgo,
    [property: JsonPropertyName("membership_price_micro")] long MembershipPriceMicro,
    [property: JsonPropertyName("membership_validity_days")] int MembershipValidityDays,
    [property: JsonPropertyName("membership_validity_seconds")] long MembershipValiditySeconds,
    [property: JsonPropertyName("shawty_price_algo")] decimal ShawtyPriceAlgo,
    [property: JsonPropertyName("shawty_price_micro")] long ShawtyPriceMicro)
{
    public static PriceFields From(CreatorPricing p) => new(
        MicroAlgo.ToAlgo(p.ButkiMinTipMicroAlgo), p.ButkiMinTipMicroAlgo, MicroAlgo.ToAlgo(p.MembershipPriceMicroAlgo), p.MembershipPriceMicroAlgo,
        (int)p.MembershipValidity.TotalDays, (long)p.MembershipValidity.TotalSeconds, MicroAlgo.ToAlgo(p.ShawtyPriceMicroAlgo), p.ShawtyPriceMicroAlgo);
}

internal sealed record PriceChangeRow(
    [property: JsonPropertyName("effective_from_round")] ulong EffectiveFromRound,
    [property: JsonPropertyName("changed_at")] DateTimeOffset ChangedAt,
    [property: JsonPropertyName("prices")] PriceFields Prices);

internal sealed record PricingResponse(
    [property: JsonPropertyName("creator_wallet")] string CreatorWallet,
    [property: JsonPropertyName("prices")] PriceFields Prices,
    [property: JsonPropertyName("effective_from_round")] ulong? EffectiveFromRound,
    [property: JsonPropertyName("defaults")] PriceFields Defaults,
    [property: JsonPropertyName("history")] IReadOnlyList<PriceChangeRow> History)
{
    public static PricingResponse From(string creator, CreatorPricingView view) => new(
        creator,
        PriceFields.From(view.Current),
        view.Schedule.Changes.Count > 0 ? view.Schedule.Changes[^1].EffectiveFromRound : null,
        PriceFields.From(view.Defaults),
        [.. view.Schedule.Changes.Reverse().Select(c => new PriceChangeRow(c.EffectiveFromRound, c.ChangedAt, PriceFields.From(c.Settings.Over(view.Defaults))))]);
}

/// <summary>The prices an audit entry compares, in micro-ALGO and days, with the round the new ones apply from.</summary>
internal sealed record AuditedPrices(
    [property: JsonPropertyName("butki_min_tip_micro")] long ButkiMinTipMicro,
    [property: JsonPropertyName("membership_price_micro")] long MembershipPriceMicro,
    [property: JsonPropertyName("membership_validity_days")] double MembershipValidityDays,
    [property: JsonPropertyName("shawty_price_micro")] long ShawtyPriceMicro,
    [property: JsonPropertyName("effective_from_round")] ulong? EffectiveFromRound)
{
    public static AuditedPrices Of(CreatorPricing p, ulong? round) =>
        new(p.ButkiMinTipMicroAlgo, p.MembershipPriceMicroAlgo, p.MembershipValidity.TotalDays, p.ShawtyPriceMicroAlgo, round);
}
