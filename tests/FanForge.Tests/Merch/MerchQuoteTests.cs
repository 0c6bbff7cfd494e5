using FanForge.Grains.Merch;
using FanForge.GrainInterfaces.Errors;
using FanForge.GrainInterfaces.Merch;

namespace FanForge.Tests.Merch;

public sealed class MerchQuoteTests
{
    private const string Creator = "CREATOR";
    private static readonly DateTimeOffset At = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private static ProductView Product(long id, long price, int? stock = null, bool active = true, int maxPerOrder = 5, string creator = Creator) =>
        new(id, creator, $"p{id}", $"Product {id}", null, null, price, stock, active, maxPerOrder, false, At, At);

    private static DiscountRule Rule(long id, DiscountType type, long value, long? product = null, int tokens = 0, bool bauni = false, int? maxUses = null, bool active = true) =>
        new(id, product, type, value, tokens, bauni, maxUses, active, At);

    private static readonly Dictionary<long, ProductView> Catalogue = new()
    {
        [1] = Product(1, 10_000_000),
        [2] = Product(2, 3_333_333, stock: 3),
        [3] = Product(3, 1_000_000, active: false),
        [4] = Product(4, 2_000_000, creator: "OTHER"),
    };

    private static Quote Compute(
        IReadOnlyList<CartLine> cart, IReadOnlyList<DiscountRule>? rules = null, int tokens = 0, bool member = false, Dictionary<long, int>? uses = null) =>
        MerchQuote.Compute(new QuoteInput(Creator, cart, Catalogue, rules ?? [], [.. Enumerable.Range(0, tokens).Select(i => (ulong)(900 - i))], member, uses ?? []));

    [Fact]
    public void Without_rules_the_total_is_the_subtotal_in_micro_algo()
    {
        var quote = Compute([new(1, 2), new(2, 1)]);

        Assert.Equal((23_333_333L, 0L, 23_333_333L, (long?)null), (quote.SubtotalMicroAlgo, quote.DiscountMicroAlgo, quote.TotalMicroAlgo, quote.AppliedRuleId));
        Assert.Equal([20_000_000L, 3_333_333L], quote.Lines.Select(l => l.LineMicroAlgo));
    }

    [Theory]
    // rule type, value, expected discount on a 3,333,333 µALGO cart: percent rounds down to the micro-ALGO
    [InlineData(DiscountType.Percent, 1000, 333_333)]
    [InlineData(DiscountType.Percent, 3333, 1_110_999)]
    [InlineData(DiscountType.Percent, 10_000, 3_333_333)]
    [InlineData(DiscountType.FixedAlgo, 500_000, 500_000)]
    [InlineData(DiscountType.FixedAlgo, 9_000_000, 3_333_333)] // capped at what it applies to: never a negative total
    public void A_single_rule_prices_with_defined_rounding_and_caps(DiscountType type, long value, long discount)
    {
        var quote = Compute([new(2, 1)], [Rule(7, type, value)]);

        Assert.Equal((discount, 3_333_333L - discount, (long?)7), (quote.DiscountMicroAlgo, quote.TotalMicroAlgo, quote.AppliedRuleId));
    }

    [Fact]
    public void Rules_do_not_stack_the_largest_applies_and_a_tie_goes_to_the_older_rule()
    {
        var quote = Compute([new(1, 1)], [Rule(5, DiscountType.FixedAlgo, 1_000_000), Rule(3, DiscountType.Percent, 1000), Rule(9, DiscountType.Percent, 500)]);

        Assert.Equal((1_000_000L, (long?)3), (quote.DiscountMicroAlgo, quote.AppliedRuleId));
        Assert.Equal([false, true, false], quote.Rules.Select(r => r.Applied));
        Assert.All(quote.Rules.Where(r => !r.Applied), r => Assert.Equal("eligible, but another rule gives more", r.Reason));
    }

    [Fact]
    public void Ineligible_rules_say_why()
    {
        var rules = new[]
        {
            Rule(1, DiscountType.Percent, 5000, active: false),
            Rule(2, DiscountType.Percent, 5000, bauni: true),
            Rule(3, DiscountType.Percent, 5000, tokens: 2),
            Rule(4, DiscountType.Percent, 5000, maxUses: 1),
            Rule(5, DiscountType.Percent, 5000, product: 2),
        };

        var quote = Compute([new(1, 1)], rules, tokens: 1, uses: new() { [4] = 1 });

        Assert.Equal(0, quote.DiscountMicroAlgo);
        Assert.Equal(
            ["inactive", "requires an active Bauni membership", "requires 2 usable Shawty token(s) of this creator, 1 given", "already used 1 of 1 time(s)", "its product is not in the cart"],
            quote.Rules.Select(r => r.Reason));
        Assert.Empty(quote.ShawtyTokensUsed);
    }

    [Fact]
    public void Conditions_met_unlock_the_rule_and_only_the_tokens_it_needs_are_used()
    {
        var rules = new[] { Rule(2, DiscountType.Percent, 2000, bauni: true, tokens: 2, maxUses: 2) };

        var quote = Compute([new(1, 1)], rules, tokens: 3, member: true, uses: new() { [2] = 1 });

        Assert.Equal((2_000_000L, (long?)2), (quote.DiscountMicroAlgo, quote.AppliedRuleId));
        Assert.Equal([898UL, 899UL], quote.ShawtyTokensUsed);
    }

    [Fact]
    public void A_product_rule_discounts_only_that_products_lines()
    {
        var quote = Compute([new(1, 1), new(2, 2)], [Rule(1, DiscountType.Percent, 5000, product: 2)]);

        Assert.Equal(3_333_333L, quote.DiscountMicroAlgo);
        Assert.Equal(16_666_666L - 3_333_333L, quote.TotalMicroAlgo);
    }

    [Theory]
    [InlineData(1, 0, MerchQuote.InvalidQuantity)]
    [InlineData(1, 21, MerchQuote.InvalidQuantity)]
    [InlineData(1, 6, MerchQuote.MaxPerOrderExceeded)]
    public void A_cart_that_cannot_be_sold_is_refused_with_a_code(long product, int quantity, string code)
    {
        var error = Assert.Throws<DomainException>(() => Compute([new(product, quantity)]));

        Assert.Equal((DomainErrorKind.Validation, code), (error.Kind, error.Code));
    }

    [Theory]
    [InlineData(3, 1, MerchQuote.ProductUnavailable)] // inactive
    [InlineData(4, 1, MerchQuote.ProductUnavailable)] // another creator's
    [InlineData(99, 1, MerchQuote.ProductUnavailable)] // unknown
    [InlineData(2, 4, MerchQuote.InsufficientStock)]
    public void A_cart_the_catalogue_cannot_serve_is_a_conflict_as_when_reserving(long product, int quantity, string code)
    {
        var error = Assert.Throws<DomainException>(() => Compute([new(product, quantity)]));

        Assert.Equal((DomainErrorKind.Conflict, code), (error.Kind, error.Code));
    }

    [Fact]
    public void Stock_and_the_per_order_cap_hold_over_the_whole_cart_not_per_line()
    {
        Assert.Equal(MerchQuote.InsufficientStock, Assert.Throws<DomainException>(() => Compute([new(2, 2), new(2, 2)])).Code);
        Assert.Equal(MerchQuote.MaxPerOrderExceeded, Assert.Throws<DomainException>(() => Compute([new(1, 3), new(1, 3)])).Code);
        Assert.Equal(MerchQuote.CartEmpty, Assert.Throws<DomainException>(() => Compute([])).Code);
    }

    [Fact]
    public void The_same_inputs_always_give_the_same_quote()
    {
        var rules = new[] { Rule(1, DiscountType.Percent, 1234), Rule(2, DiscountType.FixedAlgo, 1_500_000) };

        var first = Compute([new(1, 2), new(2, 1)], rules, tokens: 2);
        var second = Compute([new(1, 2), new(2, 1)], rules, tokens: 2);

        Assert.Equal((first.SubtotalMicroAlgo, first.DiscountMicroAlgo, first.TotalMicroAlgo, first.AppliedRuleId),
            (second.SubtotalMicroAlgo, second.DiscountMicroAlgo, second.TotalMicroAlgo, second.AppliedRuleId));
        Assert.Equal(first.Rules, second.Rules);
    }
}
