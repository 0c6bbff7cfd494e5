using FanForge.GrainInterfaces.Creators;
using FanForge.GrainInterfaces.Errors;
using FanForge.Grains.Creators;
using FanForge.Grains.Loyalty;

namespace FanForge.Tests.Loyalty;

public sealed class LoyaltyRulesTests
{
    private static readonly CreatorPricing Defaults = new LoyaltyOptions().Defaults;

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
    public void A_creators_settings_change_only_the_fields_they_set_over_the_platform_defaults()
    {
        var cheap = PriceSettings.None.With(new PriceSettings(MembershipPriceMicroAlgo: 1_000_000)).With(new PriceSettings(MembershipValidity: TimeSpan.FromDays(7)));

        Assert.Equal(new CreatorPricing(500_000, 1_000_000, TimeSpan.FromDays(7), 2_000_000), cheap.Over(Defaults));
        Assert.Equal(Defaults, PriceSettings.None.Over(Defaults));
        Assert.Equal(PaymentKind.Membership, LoyaltyRules.Classify("MEMBERSHIP:BAUNI", 1_000_000, cheap.Over(Defaults)));
        Assert.Equal(PaymentKind.Tip, LoyaltyRules.Classify("MEMBERSHIP:BAUNI", 1_000_000, Defaults));
    }

    [Fact]
    public void A_payment_is_priced_by_the_change_in_force_in_its_round()
    {
        var at = DateTimeOffset.UnixEpoch;
        var first = new PriceSettings(ShawtyPriceMicroAlgo: 3_000_000);
        var second = first.With(new PriceSettings(ShawtyPriceMicroAlgo: 1_000_000));
        var schedule = new PriceSchedule([new PriceChange(100, at, first), new PriceChange(200, at, second)], 250);

        Assert.Equal(PriceSettings.None, schedule.At(99));
        Assert.Equal(first, schedule.At(100));
        Assert.Equal(first, schedule.At(199));
        Assert.Equal(second, schedule.At(200));
        Assert.Equal(second, schedule.Latest);
        // Once older changes were dropped, the oldest kept is the best knowledge of the rounds before it.
        Assert.Equal(first, (schedule with { Truncated = true }).At(5));
    }

    [Theory]
    [InlineData(10UL, 0UL, null, 11UL)]      // after the chain's current round
    [InlineData(10UL, 15UL, null, 16UL)]     // after every round already priced, even ahead of this node
    [InlineData(10UL, 0UL, 11UL, 11UL)]      // a second change in the same round replaces the first
    [InlineData(8UL, 0UL, 11UL, 11UL)]       // a node behind another never moves a change earlier
    public void A_change_takes_effect_after_the_chain_round_and_every_priced_round(ulong chain, ulong priced, ulong? newest, ulong expected)
    {
        Assert.Equal(expected, PricingRules.EffectiveRound(chain, priced, newest));
    }

    [Fact]
    public void The_history_keeps_the_newest_changes_and_a_change_for_the_same_round_replaces_the_newest()
    {
        var at = DateTimeOffset.UnixEpoch;
        var history = Enumerable.Range(1, 3).Select(r => new PriceChange((ulong)r, at, new PriceSettings(ShawtyPriceMicroAlgo: r * 1_000_000L))).ToList();

        var (replaced, dropped) = PricingRules.Add(history, new PriceChange(3, at, new PriceSettings(ShawtyPriceMicroAlgo: 9_000_000)), keep: 3);
        var (trimmed, trimmedDropped) = PricingRules.Add(history, new PriceChange(4, at, PriceSettings.None), keep: 3);

        Assert.False(dropped);
        Assert.Equal([1UL, 2UL, 3UL], replaced.Select(c => c.EffectiveFromRound));
        Assert.Equal(9_000_000, replaced[^1].Settings.ShawtyPriceMicroAlgo);
        Assert.True(trimmedDropped);
        Assert.Equal([2UL, 3UL, 4UL], trimmed.Select(c => c.EffectiveFromRound));
    }

    [Theory]
    [InlineData(99_999L, null, null, null)]
    [InlineData(null, 100_000_000_001L, null, null)]
    [InlineData(null, null, 0, null)]
    [InlineData(null, null, 366, null)]
    [InlineData(null, null, null, 0L)]
    [InlineData(null, null, null, null)]
    public void Out_of_range_prices_and_an_empty_patch_are_refused(long? minTip, long? membership, int? validityDays, long? shawty)
    {
        var patch = new PriceSettings(minTip, membership, validityDays is { } d ? TimeSpan.FromDays(d) : null, shawty);

        var refused = Assert.Throws<DomainException>(() => PricingRules.Validate(patch));

        Assert.Equal((DomainErrorKind.Validation, PricingErrors.InvalidPricing), (refused.Kind, refused.Code));
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
