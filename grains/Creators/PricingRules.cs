using FanForge.GrainInterfaces.Creators;
using FanForge.GrainInterfaces.Errors;

namespace FanForge.Grains.Creators;

/// <summary>Error codes of creator pricing (status in brackets).</summary>
public static class PricingErrors
{
    /// <summary>A price or validity outside its range, or a patch that sets nothing (400).</summary>
    public const string InvalidPricing = "invalid_pricing";
}

/// <summary>What a creator may set as prices, and how a change is scheduled, pure: no grain, no clock, no I/O.</summary>
public static class PricingRules
{
    public const long MinButkiTipMicroAlgo = 100_000;
    public const long MaxButkiTipMicroAlgo = 10_000_000_000;
    public const long MinPriceMicroAlgo = 100_000;
    public const long MaxPriceMicroAlgo = 100_000_000_000;
    public static readonly TimeSpan MinValidity = TimeSpan.FromDays(1);
    public static readonly TimeSpan MaxValidity = TimeSpan.FromDays(365);

    /// <summary>Refuses a patch that sets nothing or any field out of range (400 <c>invalid_pricing</c> naming the field).</summary>
    public static void Validate(PriceSettings patch)
    {
        if (patch.IsEmpty)
        {
            throw DomainException.Invalid(PricingErrors.InvalidPricing, "Set at least one of the prices.");
        }

        Range("butki_min_tip", patch.ButkiMinTipMicroAlgo, MinButkiTipMicroAlgo, MaxButkiTipMicroAlgo);
        Range("membership_price", patch.MembershipPriceMicroAlgo, MinPriceMicroAlgo, MaxPriceMicroAlgo);
        Range("shawty_price", patch.ShawtyPriceMicroAlgo, MinPriceMicroAlgo, MaxPriceMicroAlgo);
        if (patch.MembershipValidity is { } validity && (validity < MinValidity || validity > MaxValidity || validity.Ticks % TimeSpan.TicksPerDay != 0))
        {
            throw DomainException.Invalid(PricingErrors.InvalidPricing, "membership_validity_days must be a whole number of days from 1 to 365.",
                new { field = "membership_validity_days", min = 1, max = 365 });
        }
    }

    /// <summary>
    /// The round a change made now takes effect from: after the chain's current round (payments already confirmed keep
    /// their prices), after every round the pipeline has already priced, and never before the newest change.
    /// </summary>
    public static ulong EffectiveRound(ulong chainRound, ulong pricedThrough, ulong? newestChange) =>
        Math.Max(Math.Max(chainRound, pricedThrough) + 1, newestChange ?? 0);

    /// <summary>
    /// The history with <paramref name="change"/> added: a change for the round of the newest one replaces it (no
    /// payment of that round has been priced yet), and only the newest <paramref name="keep"/> stay.
    /// </summary>
    public static (List<PriceChange> Changes, bool Dropped) Add(IReadOnlyList<PriceChange> history, PriceChange change, int keep)
    {
        var changes = history.Count > 0 && history[^1].EffectiveFromRound == change.EffectiveFromRound ? history.SkipLast(1).ToList() : history.ToList();
        changes.Add(change);
        var dropped = Math.Max(0, changes.Count - keep);
        changes.RemoveRange(0, dropped);
        return (changes, dropped > 0);
    }

    private static void Range(string field, long? value, long min, long max)
    {
        if (value is { } v && (v < min || v > max))
        {
            throw DomainException.Invalid(PricingErrors.InvalidPricing, $"{field}_algo must be between {min / 1_000_000m} and {max / 1_000_000m} ALGO.",
                new { field = field + "_algo", min = min / 1_000_000m, max = max / 1_000_000m });
        }
    }
}
