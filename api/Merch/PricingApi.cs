using System.Text.Json.Serialization;
using FanForge.Api.Audit;
using FanForge.Api.Auth;
using FanForge.Api.Responses;
using FanForge.Grains.Algorand;
using FanForge.GrainInterfaces.Audit;
using FanForge.Grains.Merch;
using FanForge.GrainInterfaces.Errors;
using FanForge.GrainInterfaces.Merch;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FanForge.Api.Merch;

/// <summary>Discount rules (creator) and store quotes (the fan), in the prototype's shapes.</summary>
internal static class PricingApi
{
    public static IEndpointRouteBuilder MapPricing(this IEndpointRouteBuilder routes)
    {
        var creator = routes.MapGroup("/creator/{wallet}").WithTags("Merch");
        creator.MapPost("/discounts", AddDiscountAsync).RequireAuthorization(Policies.Creator).Audited(AuditKinds.DiscountCreated)
            .WithSummary("Add a discount rule (percent or fixed ALGO, optional product, Shawty/Bauni conditions, uses per wallet)");
        creator.MapGet("/discounts", GetDiscountsAsync).RequireAuthorization(Policies.Creator)
            .WithSummary("The creator's discount rules, oldest first");
        creator.MapPost("/store/quote", QuoteAsync).RequireAuthorization(Policies.Authenticated)
            .WithSummary("Price a cart: subtotal, each rule and why it applied or not, total (fanWallet must be the caller)");
        return routes;
    }


    private static async Task<Ok<Envelope<DiscountRuleRow, NoMeta>>> AddDiscountAsync(
        string wallet, NewDiscountRequest request, [FromHeader(Name = "X-Idempotency-Key")] string? idempotencyKey,
        HttpContext context, IGrainFactory grains, AuditRecorder audit)
    {
        var creator = RequestValues.Wallet(wallet);
        var rule = await grains.GetGrain<ICreatorDiscounts>(creator).AddAsync(request.ToRule(), idempotencyKey);
        // A rule is added once per idempotency key, and a retry returns it: the rule's id names the entry.
        await audit.RecordAsync(context, new AuditChange(AuditKinds.DiscountCreated, $"discount:{creator}:{rule.Id}", $"discount:{rule.Id}", creator,
            AuditChanges.Diff(null, DiscountRuleRow.From(rule))));
        return TypedResults.Ok(Envelope.Of(DiscountRuleRow.From(rule), new NoMeta()));
    }

    private static async Task<Ok<Envelope<IReadOnlyList<DiscountRuleRow>, DiscountsMeta>>> GetDiscountsAsync(string wallet, IGrainFactory grains)
    {
        var creator = RequestValues.Wallet(wallet);
        var rules = (await grains.GetGrain<ICreatorDiscounts>(creator).GetAllAsync()).Select(DiscountRuleRow.From).ToList();
        return TypedResults.Ok(Envelope.Of<IReadOnlyList<DiscountRuleRow>, DiscountsMeta>(rules, new DiscountsMeta(creator, rules.Count)));
    }

    private static async Task<Ok<QuoteResponse>> QuoteAsync(string wallet, QuoteRequest request, HttpContext context, IGrainFactory grains)
    {
        var (creator, fan) = (RequestValues.Wallet(wallet), RequestValues.Wallet(request.FanWallet));
        context.User.RequireCallerWallet(fan, "fanWallet");

        var input = await QuoteInputs.GatherAsync(grains, creator, fan, request.Cart(), request.ShawtyAssetIds ?? []);
        return TypedResults.Ok(QuoteResponse.From(MerchQuote.Compute(input)));
    }
}

/// <summary>The prototype's body (camelCase); <c>value</c> is a percentage (≤ 2 decimals) or ALGO (≤ 6 decimals).</summary>
internal sealed record NewDiscountRequest(long? ProductId, string? DiscountType, decimal? Value, int? MinShawtyTokens, bool? RequiresBauni, int? MaxUsesPerWallet)
{
    public NewDiscountRule ToRule()
    {
        var type = (DiscountType ?? "PERCENT").Trim().ToUpperInvariant() switch
        {
            "PERCENT" => GrainInterfaces.Merch.DiscountType.Percent,
            "FIXED_ALGO" or "FIXED" => GrainInterfaces.Merch.DiscountType.FixedAlgo,
            _ => throw DomainException.Invalid(ErrorCodes.Validation, "discountType must be PERCENT or FIXED_ALGO."),
        };
        var value = Value ?? throw DomainException.Invalid(ErrorCodes.Validation, "value is required.");
        var stored = type == GrainInterfaces.Merch.DiscountType.Percent
            ? value is > 0 and <= 100 && value * 100 == decimal.Truncate(value * 100)
                ? (long)(value * 100)
                : throw DomainException.Invalid(ErrorCodes.Validation, "A PERCENT value must be above 0 and at most 100, with at most 2 decimals.")
            : value is > 0 and <= 10_000_000 && MicroAlgo.IsWholeMicroAlgo(value)
                ? MicroAlgo.FromAlgo(value)
                : throw DomainException.Invalid(ErrorCodes.Validation, "A FIXED_ALGO value must be above 0 ALGO, with at most 6 decimals.");
        if (MinShawtyTokens is < 0 or > 100 || MaxUsesPerWallet is < 1 || ProductId is < 1)
        {
            throw DomainException.Invalid(ErrorCodes.Validation, "minShawtyTokens must be 0..100, maxUsesPerWallet at least 1, productId positive.");
        }

        return new NewDiscountRule(ProductId, type, stored, MinShawtyTokens ?? 0, RequiresBauni ?? false, MaxUsesPerWallet);
    }
}

internal sealed record DiscountRuleRow(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("product_id")] long? ProductId,
    [property: JsonPropertyName("discount_type")] string DiscountType,
    [property: JsonPropertyName("value")] decimal Value,
    [property: JsonPropertyName("min_shawty_tokens")] int MinShawtyTokens,
    [property: JsonPropertyName("requires_bauni")] bool RequiresBauni,
    [property: JsonPropertyName("max_uses_per_wallet")] int? MaxUsesPerWallet,
    [property: JsonPropertyName("active")] bool Active)
{
    public static DiscountRuleRow From(DiscountRule rule) => new(
        rule.Id, rule.ProductId, rule.Type == GrainInterfaces.Merch.DiscountType.Percent ? "PERCENT" : "FIXED_ALGO",
        rule.Type == GrainInterfaces.Merch.DiscountType.Percent ? rule.Value / 100m : MicroAlgo.ToAlgo(rule.Value),
        rule.MinShawtyTokens, rule.RequiresBauni, rule.MaxUsesPerWallet, rule.Active);
}

internal sealed record DiscountsMeta([property: JsonPropertyName("creator_wallet")] string CreatorWallet, [property: JsonPropertyName("total")] int Total);

internal sealed record QuoteItemRequest(long? ProductId, int? Quantity);

/// <summary>The prototype's quote and order body; a missing quantity is 1.</summary>
internal sealed record QuoteRequest(string? FanWallet, IReadOnlyList<QuoteItemRequest>? Items, IReadOnlyList<ulong>? ShawtyAssetIds, bool? RequireMembership)
{
    public IReadOnlyList<CartLine> Cart() => [.. (Items ?? []).Select(i => new CartLine(i.ProductId ?? 0, i.Quantity ?? 1))];
}

internal sealed record QuoteItemRow(
    [property: JsonPropertyName("product_id")] long ProductId,
    [property: JsonPropertyName("slug")] string Slug,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("quantity")] int Quantity,
    [property: JsonPropertyName("unit_price_algo")] decimal UnitPriceAlgo,
    [property: JsonPropertyName("line_total_algo")] decimal LineTotalAlgo);

internal sealed record QuoteRuleRow(
    [property: JsonPropertyName("rule_id")] long RuleId,
    [property: JsonPropertyName("applied")] bool Applied,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("discount_algo")] decimal DiscountAlgo);

/// <summary>Flat, as the prototype answers a quote (no <c>data</c>), plus micro-ALGO figures and every rule's outcome.</summary>
internal sealed record QuoteResponse(
    [property: JsonPropertyName("success")] bool Success,
    [property: JsonPropertyName("subtotal_algo")] decimal SubtotalAlgo,
    [property: JsonPropertyName("discount_algo")] decimal DiscountAlgo,
    [property: JsonPropertyName("total_algo")] decimal TotalAlgo,
    [property: JsonPropertyName("subtotal_micro")] long SubtotalMicro,
    [property: JsonPropertyName("discount_micro")] long DiscountMicro,
    [property: JsonPropertyName("total_micro")] long TotalMicro,
    [property: JsonPropertyName("items")] IReadOnlyList<QuoteItemRow> Items,
    [property: JsonPropertyName("shawty_asset_ids_used")] IReadOnlyList<ulong> ShawtyAssetIdsUsed,
    [property: JsonPropertyName("applied_discount_rule_id")] long? AppliedDiscountRuleId,
    [property: JsonPropertyName("discounts")] IReadOnlyList<QuoteRuleRow> Discounts)
{
    public static QuoteResponse From(Quote quote) => new(
        true, MicroAlgo.ToAlgo(quote.SubtotalMicroAlgo), MicroAlgo.ToAlgo(quote.DiscountMicroAlgo), MicroAlgo.ToAlgo(quote.TotalMicroAlgo),
        quote.SubtotalMicroAlgo, quote.DiscountMicroAlgo, quote.TotalMicroAlgo,
        [.. quote.Lines.Select(l => new QuoteItemRow(l.ProductId, l.Slug, l.Name, l.Quantity, MicroAlgo.ToAlgo(l.UnitPriceMicroAlgo), MicroAlgo.ToAlgo(l.LineMicroAlgo)))],
        quote.ShawtyTokensUsed, quote.AppliedRuleId,
        [.. quote.Rules.Select(r => new QuoteRuleRow(r.RuleId, r.Applied, r.Reason, MicroAlgo.ToAlgo(r.DiscountMicroAlgo)))]);
}
