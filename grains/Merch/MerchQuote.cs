using FanForge.GrainInterfaces.Errors;
using FanForge.GrainInterfaces.Merch;

namespace FanForge.Grains.Merch;

/// <summary>Everything a quote depends on, gathered beforehand: the same input always gives the same quote.</summary>
public sealed record QuoteInput(
    string Creator,
    IReadOnlyList<CartLine> Cart,
    IReadOnlyDictionary<long, ProductView> Products,
    IReadOnlyList<DiscountRule> Rules,
    IReadOnlyList<ulong> UsableShawtyTokens,
    bool HasActiveMembership,
    IReadOnlyDictionary<long, int> RuleUses);

/// <summary>A priced line.</summary>
public sealed record QuoteLine(long ProductId, string Slug, string Name, int Quantity, long UnitPriceMicroAlgo, long LineMicroAlgo);

/// <summary>Why a rule did or did not apply, and what it would take off.</summary>
public sealed record RuleOutcome(long RuleId, bool Applied, string Reason, long DiscountMicroAlgo);

/// <summary>A quote in integer micro-ALGO.</summary>
public sealed record Quote(
    IReadOnlyList<QuoteLine> Lines,
    long SubtotalMicroAlgo,
    long DiscountMicroAlgo,
    long TotalMicroAlgo,
    long? AppliedRuleId,
    IReadOnlyList<ulong> ShawtyTokensUsed,
    IReadOnlyList<RuleOutcome> Rules);

/// <summary>
/// The store's pricing, pure. Rounding: a percentage discount is rounded down to the micro-ALGO, so a discount never
/// exceeds what the rule promises. Stacking: none — every eligible rule is priced and the single largest discount
/// applies (ties: the older rule), as the prototype does; the outcome of every rule is reported with its reason.
/// </summary>
public static class MerchQuote
{
    public const int MaxQuantityPerLine = 20;

    public const string CartEmpty = "cart_empty";
    public const string InvalidQuantity = "invalid_quantity";
    // The same refusals as reserving stock raises, with the same status (409): a client sees one code mean one thing
    // whether the quote or the reservation noticed first.
    public const string ProductUnavailable = ProductErrors.ProductUnavailable;
    public const string InsufficientStock = ProductErrors.InsufficientStock;
    public const string MaxPerOrderExceeded = "max_per_order_exceeded";

    public static Quote Compute(QuoteInput input)
    {
        if (input.Cart.Count == 0)
        {
            throw DomainException.Invalid(CartEmpty, "Cart is empty");
        }

        var lines = new List<QuoteLine>();
        foreach (var line in input.Cart)
        {
            if (line.Quantity is < 1 or > MaxQuantityPerLine)
            {
                throw DomainException.Invalid(InvalidQuantity, $"Quantity must be between 1 and {MaxQuantityPerLine}");
            }

            if (!input.Products.TryGetValue(line.ProductId, out var product) || !product.Active || product.CreatorWallet != input.Creator)
            {
                throw DomainException.Conflict(ProductUnavailable, $"Product {line.ProductId} not available");
            }

            lines.Add(new QuoteLine(product.Id, product.Slug, product.Name, line.Quantity, product.PriceMicroAlgo, checked(product.PriceMicroAlgo * line.Quantity)));
        }

        // Limits hold per product over the whole cart, so splitting a product over several lines gains nothing.
        foreach (var perProduct in lines.GroupBy(l => l.ProductId))
        {
            var product = input.Products[perProduct.Key];
            var quantity = perProduct.Sum(l => l.Quantity);
            if (product.StockAvailable is { } stock && quantity > stock)
            {
                throw DomainException.Conflict(InsufficientStock, $"Insufficient stock for {product.Slug}");
            }

            if (quantity > product.MaxPerOrder)
            {
                throw DomainException.Invalid(MaxPerOrderExceeded, $"Max {product.MaxPerOrder} per order for {product.Slug}");
            }
        }

        var subtotal = lines.Sum(l => l.LineMicroAlgo);
        var outcomes = input.Rules.Select(rule => Evaluate(rule, input, lines)).ToList();
        var best = outcomes.Where(o => o.Reason == Eligible).OrderByDescending(o => o.DiscountMicroAlgo).ThenBy(o => o.RuleId).FirstOrDefault();
        if (best is { DiscountMicroAlgo: 0 })
        {
            best = null;
        }

        var rules = outcomes
            .Select(o => o.Reason != Eligible ? o : o with { Applied = o == best, Reason = o == best ? "applied: the largest discount" : "eligible, but another rule gives more" })
            .ToList();
        var discount = Math.Min(best?.DiscountMicroAlgo ?? 0, subtotal);
        var tokensUsed = best is null ? [] : input.UsableShawtyTokens.Order().Take(input.Rules.First(r => r.Id == best.RuleId).MinShawtyTokens).ToList();
        return new Quote(lines, subtotal, discount, subtotal - discount, best?.RuleId, tokensUsed, rules);
    }

    private const string Eligible = "eligible";

    private static RuleOutcome Evaluate(DiscountRule rule, QuoteInput input, IReadOnlyList<QuoteLine> lines)
    {
        RuleOutcome Skip(string reason) => new(rule.Id, false, reason, 0);
        if (!rule.Active)
        {
            return Skip("inactive");
        }

        if (rule.RequiresBauni && !input.HasActiveMembership)
        {
            return Skip("requires an active Bauni membership");
        }

        if (input.UsableShawtyTokens.Count < rule.MinShawtyTokens)
        {
            return Skip($"requires {rule.MinShawtyTokens} usable Shawty token(s) of this creator, {input.UsableShawtyTokens.Count} given");
        }

        var uses = input.RuleUses.GetValueOrDefault(rule.Id);
        if (rule.MaxUsesPerWallet is { } max && uses >= max)
        {
            return Skip($"already used {uses} of {max} time(s)");
        }

        var basis = rule.ProductId is { } productId ? lines.Where(l => l.ProductId == productId).Sum(l => l.LineMicroAlgo) : lines.Sum(l => l.LineMicroAlgo);
        if (basis == 0)
        {
            return Skip("its product is not in the cart");
        }

        var amount = rule.Type == DiscountType.Percent
            ? (long)((Int128)basis * Math.Min(rule.Value, 10_000) / 10_000)
            : Math.Min(rule.Value, basis);
        return new RuleOutcome(rule.Id, false, Eligible, amount);
    }
}
