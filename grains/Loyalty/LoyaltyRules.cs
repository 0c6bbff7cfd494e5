using System.ComponentModel.DataAnnotations;
using FanForge.GrainInterfaces.Creators;
using Microsoft.Extensions.Options;

namespace FanForge.Grains.Loyalty;

/// <summary>What a TipProxy payment is for, decided by its memo and amount.</summary>
public enum PaymentKind
{
    /// <summary>A tip: counts towards Butki badges when it reaches the minimum.</summary>
    Tip,

    /// <summary><c>MEMBERSHIP:BAUNI</c> paid in full.</summary>
    Membership,

    /// <summary><c>PURCHASE:SHAWTY</c> paid in full.</summary>
    ShawtyPurchase,

    /// <summary><c>ORDER:{id}</c>: settles a merch order; never a loyalty tip.</summary>
    OrderPayment,
}

/// <summary>
/// Section <c>Loyalty</c>: the platform defaults (the prototype's constants). Each creator sets its own prices
/// (<see cref="ICreator.SetPricingAsync"/>); a price a creator never set is the default here.
/// </summary>
public sealed class LoyaltyOptions
{
    public const string SectionName = "Loyalty";

    /// <summary>Every this-many qualifying tips to one creator earn one Butki badge.</summary>
    [Range(1, 1000)] public int BadgeInterval { get; set; } = 5;

    /// <summary>The smallest tip that counts towards Butki (0.5 ALGO).</summary>
    [Range(0, long.MaxValue)] public long ButkiMinTipMicroAlgo { get; set; } = 500_000;

    /// <summary>Bauni membership price (5 ALGO); less is recorded as a plain tip.</summary>
    [Range(1, long.MaxValue)] public long MembershipPriceMicroAlgo { get; set; } = 5_000_000;

    /// <summary>How long one Bauni purchase lasts (30 days).</summary>
    public TimeSpan MembershipValidity { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Shawty token price (2 ALGO); less is recorded as a plain tip.</summary>
    [Range(1, long.MaxValue)] public long ShawtyPriceMicroAlgo { get; set; } = 2_000_000;

    /// <summary>The platform defaults as prices.</summary>
    public CreatorPricing Defaults => new(ButkiMinTipMicroAlgo, MembershipPriceMicroAlgo, MembershipValidity, ShawtyPriceMicroAlgo);

}

/// <summary>The platform defaults must be usable: a membership lasts at least a second (prices are ranged on the class).</summary>
public sealed class LoyaltyOptionsRules : IValidateOptions<LoyaltyOptions>
{
    public ValidateOptionsResult Validate(string? name, LoyaltyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var messages = new List<string>();
        if (options.MembershipValidity < TimeSpan.FromSeconds(1))
        {
            messages.Add($"{LoyaltyOptions.SectionName}:{nameof(LoyaltyOptions.MembershipValidity)} must be at least one second.");
        }

        return messages.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(messages);
    }
}

/// <summary>The loyalty rules in one place, pure: no grain, no clock, no I/O.</summary>
public static class LoyaltyRules
{
    public const string MembershipMemo = "MEMBERSHIP:BAUNI";
    public const string ShawtyMemo = "PURCHASE:SHAWTY";
    public const string OrderMemoPrefix = "ORDER:";

    /// <summary>
    /// Routes a payment by its memo (trimmed, case-insensitive). An underpaid purchase is a plain tip, never
    /// dropped; an order payment is never a loyalty tip (the prototype counted it as both).
    /// </summary>
    public static PaymentKind Classify(string memo, long amountMicroAlgo, CreatorPricing pricing)
    {
        var normalized = memo.Trim().ToUpperInvariant();
        if (normalized.StartsWith(OrderMemoPrefix, StringComparison.Ordinal))
        {
            return PaymentKind.OrderPayment;
        }

        if (normalized.StartsWith(MembershipMemo, StringComparison.Ordinal))
        {
            return amountMicroAlgo >= pricing.MembershipPriceMicroAlgo ? PaymentKind.Membership : PaymentKind.Tip;
        }

        if (normalized.StartsWith(ShawtyMemo, StringComparison.Ordinal))
        {
            return amountMicroAlgo >= pricing.ShawtyPriceMicroAlgo ? PaymentKind.ShawtyPurchase : PaymentKind.Tip;
        }

        return PaymentKind.Tip;
    }

    /// <summary>The order an <c>ORDER:{id}</c> memo names (digits up to the first space), or null.</summary>
    public static long? OrderId(string memo)
    {
        var normalized = memo.Trim().ToUpperInvariant();
        if (!normalized.StartsWith(OrderMemoPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var id = normalized[OrderMemoPrefix.Length..].Split(' ', 2)[0];
        return long.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) && value > 0 ? value : null;
    }

    /// <summary>Whether a payment counts towards Butki badges.</summary>
    public static bool CountsForButki(PaymentKind kind, long amountMicroAlgo, CreatorPricing pricing) =>
        kind == PaymentKind.Tip && amountMicroAlgo >= pricing.ButkiMinTipMicroAlgo;

    /// <summary>Badges owed after <paramref name="butkiTips"/> qualifying tips: one per full interval.</summary>
    public static int BadgesOwed(int butkiTips, int interval) => butkiTips / interval;

    /// <summary>Tips still needed for the next badge: the full interval right after a badge, as the prototype shows it.</summary>
    public static int TipsToNextBadge(int butkiTips, int interval) => interval - butkiTips % interval;
}
