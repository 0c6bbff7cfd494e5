using FanForge.Grains.Loyalty;

namespace FanForge.Tests.Loyalty;

public sealed class LoyaltyRulesTests
{
    private static readonly CreatorPricing Defaults = new LoyaltyOptions().For("any creator");

    [Theory]
    [InlineData("", 1_000_000, PaymentKind.Tip)]
    [InlineData("great stream!", 500_000, PaymentKind.Tip)]
    [InlineData("MEMBERSHIP:BAUNI", 5_000_000, PaymentKind.Membership)]
    [InlineData("  membership:bauni ", 7_000_000, PaymentKind.Membership)]
    [InlineData("MEMBERSHIP:BAUNI", 4_999_999, PaymentKind.Tip)]
    [InlineData("PURCHASE:SHAWTY", 2_000_000, PaymentKind.ShawtyPurchase)]
    [InlineData("PURCHASE:SHAWTY", 1_999_999, PaymentKind.Tip)]
    [InlineData("ORDER:42", 10_000_000, PaymentKind.OrderPayment)]
    [InlineData("order:42", 1, PaymentKind.OrderPayment)]
    [InlineData("MEMBERSHIP:BRONZE", 5_000_000, PaymentKind.Tip)]
    public void Classifies_a_payment_by_memo_and_amount(string memo, long amount, PaymentKind expected)
    {
        Assert.Equal(expected, LoyaltyRules.Classify(memo, amount, Defaults));
    }

    [Theory]
    [InlineData("", 500_000, true)]
    [InlineData("", 499_999, false)]
    [InlineData("ORDER:7", 9_000_000, false)]
    [InlineData("MEMBERSHIP:BAUNI", 5_000_000, false)]
    [InlineData("MEMBERSHIP:BAUNI", 1_000_000, true)]
    public void Only_tips_of_at_least_half_an_algo_count_for_butki(string memo, long amount, bool counts)
    {
        Assert.Equal(counts, LoyaltyRules.CountsForButki(LoyaltyRules.Classify(memo, amount, Defaults), amount, Defaults));
    }

    [Theory]
    [InlineData("ORDER:42", 42L)]
    [InlineData("  order:7 thanks", 7L)]
    [InlineData("ORDER:", null)]
    [InlineData("ORDER:-3", null)]
    [InlineData("ORDER:0", null)]
    [InlineData("ORDER:12abc", null)]
    [InlineData("ORDER:99999999999999999999", null)]
    [InlineData("great stream", null)]
    public void An_order_memo_names_a_positive_order_id_or_nothing(string memo, long? id)
    {
        Assert.Equal(id, LoyaltyRules.OrderId(memo));
    }

    [Fact]
    public void A_creator_override_changes_only_the_fields_it_sets_and_only_for_that_creator()
    {
        var options = new LoyaltyOptions
        {
            Creators = { ["CHEAP"] = new CreatorPricingOverride { MembershipPriceMicroAlgo = 1_000_000, MembershipValidity = TimeSpan.FromDays(7) } },
        };

        Assert.Equal(new CreatorPricing(500_000, 1_000_000, TimeSpan.FromDays(7), 2_000_000), options.For("CHEAP"));
        Assert.Equal(new CreatorPricing(500_000, 5_000_000, TimeSpan.FromDays(30), 2_000_000), options.For("OTHER"));
        Assert.Equal(PaymentKind.Membership, LoyaltyRules.Classify("MEMBERSHIP:BAUNI", 1_000_000, options.For("CHEAP")));
        Assert.Equal(PaymentKind.Tip, LoyaltyRules.Classify("MEMBERSHIP:BAUNI", 1_000_000, options.For("OTHER")));
    }

    [Theory]
    [InlineData(0, 0, 5)]
    [InlineData(4, 0, 1)]
    [InlineData(5, 1, 5)]
    [InlineData(6, 1, 4)]
    [InlineData(10, 2, 5)]
    [InlineData(14, 2, 1)]
    public void One_badge_per_five_tips_and_the_tips_to_the_next(int tips, int badges, int toNext)
    {
        Assert.Equal(badges, LoyaltyRules.BadgesOwed(tips, 5));
        Assert.Equal(toNext, LoyaltyRules.TipsToNextBadge(tips, 5));
    }

    [Fact]
    public void A_ranking_keeps_the_highest_scores_and_replaces_an_entry_by_key()
    {
        var ranking = new List<(string Key, int Score)>();
        var order = Comparer<(string Key, int Score)>.Create((a, b) => b.Score.CompareTo(a.Score) is var c and not 0 ? c : string.CompareOrdinal(a.Key, b.Key));

        foreach (var entry in new (string Key, int Score)[] { ("a", 1), ("b", 5), ("c", 3), ("a", 9), ("d", 2) })
        {
            TopList.Upsert(ranking, entry, e => e.Key, order, capacity: 3);
        }

        Assert.Equal([("a", 9), ("b", 5), ("c", 3)], ranking);
    }
}
