namespace FanForge.GrainInterfaces.Creators;

/// <summary>The prices and thresholds in force for one creator: integer micro-ALGO.</summary>
/// <param name="ButkiMinTipMicroAlgo">The smallest tip that counts towards Butki badges.</param>
/// <param name="MembershipPriceMicroAlgo">One Bauni membership purchase; less is a plain tip.</param>
/// <param name="MembershipValidity">How long one Bauni purchase lasts.</param>
/// <param name="ShawtyPriceMicroAlgo">One Shawty token; less is a plain tip.</param>
[GenerateSerializer, Immutable, Alias("ff.CreatorPricing")]
public sealed record CreatorPricing(
    [property: Id(0)] long ButkiMinTipMicroAlgo,
    [property: Id(1)] long MembershipPriceMicroAlgo,
    [property: Id(2)] TimeSpan MembershipValidity,
    [property: Id(3)] long ShawtyPriceMicroAlgo);

/// <summary>
/// What a creator chose; a null field follows the platform default (configuration), so a default the platform changes
/// reaches every creator who never set that field.
/// </summary>
[GenerateSerializer, Immutable, Alias("ff.PriceSettings")]
public sealed record PriceSettings(
    [property: Id(0)] long? ButkiMinTipMicroAlgo = null,
    [property: Id(1)] long? MembershipPriceMicroAlgo = null,
    [property: Id(2)] TimeSpan? MembershipValidity = null,
    [property: Id(3)] long? ShawtyPriceMicroAlgo = null)
{
    /// <summary>Nothing chosen: the platform defaults throughout.</summary>
    public static readonly PriceSettings None = new();

    /// <summary>Whether this sets no field at all.</summary>
    public bool IsEmpty => this == None;

    /// <summary>These settings with every field <paramref name="patch"/> sets replaced.</summary>
    public PriceSettings With(PriceSettings patch) => new(
        patch.ButkiMinTipMicroAlgo ?? ButkiMinTipMicroAlgo,
        patch.MembershipPriceMicroAlgo ?? MembershipPriceMicroAlgo,
        patch.MembershipValidity ?? MembershipValidity,
        patch.ShawtyPriceMicroAlgo ?? ShawtyPriceMicroAlgo);

    /// <summary>The prices in force: these settings over <paramref name="defaults"/>.</summary>
    public CreatorPricing Over(CreatorPricing defaults) => new(
        ButkiMinTipMicroAlgo ?? defaults.ButkiMinTipMicroAlgo,
        MembershipPriceMicroAlgo ?? defaults.MembershipPriceMicroAlgo,
        MembershipValidity ?? defaults.MembershipValidity,
        ShawtyPriceMicroAlgo ?? defaults.ShawtyPriceMicroAlgo);
}

/// <summary>A creator's price change, in force for payments confirmed in <see cref="EffectiveFromRound"/> and later.</summary>
[GenerateSerializer, Immutable, Alias("ff.PriceChange")]
public sealed record PriceChange(
    [property: Id(0)] ulong EffectiveFromRound,
    [property: Id(1)] DateTimeOffset ChangedAt,
    [property: Id(2)] PriceSettings Settings);

/// <summary>
/// A creator's recent price changes, oldest first, and the round up to which they are final: no later change can take
/// effect at or below <see cref="FinalThroughRound"/>, so a payment of such a round may be priced from this copy.
/// </summary>
[GenerateSerializer, Immutable, Alias("ff.PriceSchedule")]
public sealed record PriceSchedule([property: Id(0)] IReadOnlyList<PriceChange> Changes, [property: Id(1)] ulong FinalThroughRound)
{
    /// <summary>
    /// The settings in force for a payment confirmed in <paramref name="round"/>: the latest change taking effect at or
    /// before it; before every change kept, the platform defaults, or the oldest kept change once older ones were
    /// dropped (the history is short, see <see cref="ICreator.GetPriceScheduleAsync"/>).
    /// </summary>
    public PriceSettings At(ulong round)
    {
        for (var i = Changes.Count - 1; i >= 0; i--)
        {
            if (Changes[i].EffectiveFromRound <= round)
            {
                return Changes[i].Settings;
            }
        }

        return Truncated && Changes.Count > 0 ? Changes[0].Settings : PriceSettings.None;
    }

    /// <summary>The settings of the newest change (in force from the next round at the latest): what a purchase now costs.</summary>
    public PriceSettings Latest => Changes.Count > 0 ? Changes[^1].Settings : PriceSettings.None;

    /// <summary>Older changes were dropped to keep the history short.</summary>
    [Id(2)] public bool Truncated { get; init; }
}

/// <summary>A creator's prices as the creator and fans see them: the platform defaults and the creator's changes over them.</summary>
[GenerateSerializer, Immutable, Alias("ff.CreatorPricingView")]
public sealed record CreatorPricingView([property: Id(0)] CreatorPricing Defaults, [property: Id(1)] PriceSchedule Schedule)
{
    /// <summary>What a purchase made now costs: the newest change over the defaults.</summary>
    public CreatorPricing Current => Schedule.Latest.Over(Defaults);
}
