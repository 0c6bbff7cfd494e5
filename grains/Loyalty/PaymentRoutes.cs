using System.Globalization;
using FanForge.GrainInterfaces.Creators;
using FanForge.GrainInterfaces.Loyalty;

namespace FanForge.Grains.Loyalty;

/// <summary>
/// Which one consumer owns a payment, pure: by <see cref="LoyaltyRules.Classify"/>, tips go to the fan–creator pair,
/// Bauni purchases to the membership, Shawty purchases to the fan's Shawty wallet, order payments to the order. The
/// consumer key names the grain, so one consumer's payments are delivered in order and its failures hold back only it.
/// </summary>
public static class PaymentRoutes
{
    public const string Tip = "tip";
    public const string Membership = "membership";
    public const string Shawty = "shawty";
    public const string Order = "order";

    /// <summary>Every kind, in the order the dashboard lists revenue.</summary>
    public static readonly IReadOnlyList<string> Kinds = [Tip, Membership, Shawty, Order];

    /// <summary>
    /// The journal entry for <paramref name="payment"/>. An order memo that names no order has no consumer: the money
    /// is the creator's order revenue, and no tip.
    /// </summary>
    public static JournalEntry Route(ChainTip payment, CreatorPricing pricing) =>
        LoyaltyRules.Classify(payment.Memo, payment.AmountMicroAlgo, pricing) switch
        {
            PaymentKind.Membership => new JournalEntry(payment, Membership, $"{Membership}:{payment.Fan}"),
            PaymentKind.ShawtyPurchase => new JournalEntry(payment, Shawty, $"{Shawty}:{payment.Fan}"),
            PaymentKind.OrderPayment => new JournalEntry(
                payment, Order, LoyaltyRules.OrderId(payment.Memo) is { } id ? $"{Order}:{id.ToString(CultureInfo.InvariantCulture)}" : null),
            _ => new JournalEntry(payment, Tip, $"{Tip}:{payment.Fan}"),
        };
}
