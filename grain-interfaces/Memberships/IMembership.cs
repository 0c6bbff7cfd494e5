using FanForge.GrainInterfaces.Loyalty;
using FanForge.GrainInterfaces.Merch;

namespace FanForge.GrainInterfaces.Memberships;

/// <summary>
/// One fan's Bauni membership of one creator (key <c>{creator}/{fan}</c>, as <see cref="FanLoyaltyKey"/>). Purchases
/// extend it; whether it is active is computed from the clock and the expiry on every read, so access ends the
/// instant it expires; a reminder at the expiry does the bookkeeping (member count, live event).
/// </summary>
[Alias("ff.IMembership")]
public interface IMembership : IGrainWithStringKey
{
    /// <summary>
    /// Applies a confirmed <c>MEMBERSHIP:BAUNI</c> payment. Payments at or below the last applied chain position
    /// change nothing, so a redelivery returns the membership as it is.
    /// </summary>
    [Alias("ApplyPurchase")]
    Task<MembershipView> ApplyPurchaseAsync(ChainTip payment);

    /// <summary>The membership now (never purchased: inactive, no dates).</summary>
    [Alias("Get")]
    Task<MembershipView> GetAsync();

    /// <summary>The membership's Bauni NFT landed as <paramref name="assetId"/> (idempotent; the minter calls it).</summary>
    [Alias("NftMinted")]
    Task NftMintedAsync(ulong assetId);

    /// <summary>
    /// Fixes the terms of a card purchase under <paramref name="key"/> on the first call (price, validity, amount in
    /// the card currency); later calls with the key return the checkout as it is, with its session once recorded. Only
    /// the newest <see cref="RememberedCheckouts"/> are kept.
    /// </summary>
    [Alias("StartCardCheckout")]
    Task<MembershipCheckout> StartCardCheckoutAsync(string key, MembershipCheckoutTerms terms);

    /// <summary>Records the provider's session for checkout <paramref name="key"/>; the first one stays.</summary>
    [Alias("RecordCheckoutSession")]
    Task<MembershipCheckout> RecordCheckoutSessionAsync(string key, string sessionId, string url);

    /// <summary>
    /// A verified, completed card payment of checkout <see cref="MembershipCardPayment.CheckoutKey"/>: buys or renews
    /// the membership exactly as a chain purchase does (from the later of now and the expiry, by the checkout's
    /// validity; the same Bauni NFT), once per checkout whatever events repeat it. Another amount or currency than
    /// the checkout's is recorded on it and buys nothing; an unknown checkout is ignored.
    /// </summary>
    [Alias("ApplyCardPurchase")]
    Task<MembershipCardResult> ApplyCardPurchaseAsync(MembershipCardPayment payment);

    /// <summary>How many card checkouts a membership remembers.</summary>
    public const int RememberedCheckouts = 32;
}

/// <summary>What a card purchase costs and gives, fixed when its checkout starts.</summary>
[GenerateSerializer, Immutable, Alias("ff.MembershipCheckoutTerms")]
public sealed record MembershipCheckoutTerms(
    [property: Id(0)] long PriceMicroAlgo,
    [property: Id(1)] TimeSpan Validity,
    [property: Id(2)] long AmountMinor,
    [property: Id(3)] string Currency);

/// <summary>A card checkout of a membership: its terms, its session once created, and what became of it.</summary>
[GenerateSerializer, Immutable, Alias("ff.MembershipCheckout")]
public sealed record MembershipCheckout(
    [property: Id(0)] string Key,
    [property: Id(1)] MembershipCheckoutTerms Terms,
    [property: Id(2)] DateTimeOffset CreatedAt,
    [property: Id(3)] string? SessionId = null,
    [property: Id(4)] string? Url = null,
    [property: Id(5)] DateTimeOffset? PaidAt = null,
    [property: Id(6)] string? Issue = null);

/// <summary>A verified provider event saying checkout <see cref="CheckoutKey"/> was paid.</summary>
[GenerateSerializer, Immutable, Alias("ff.MembershipCardPayment")]
public sealed record MembershipCardPayment(
    [property: Id(0)] string EventId,
    [property: Id(1)] string CheckoutKey,
    [property: Id(2)] string? SessionId,
    [property: Id(3)] string? PaymentIntentId,
    [property: Id(4)] long AmountMinor,
    [property: Id(5)] string? Currency);

/// <summary>What applying a <see cref="MembershipCardPayment"/> did, and the membership afterwards.</summary>
[GenerateSerializer, Immutable, Alias("ff.MembershipCardResult")]
public sealed record MembershipCardResult([property: Id(0)] CardEventOutcome Outcome, [property: Id(1)] MembershipView Membership);

/// <summary>A membership as of <see cref="AsOf"/>, with the creator's current price and validity for one purchase.</summary>
[GenerateSerializer, Immutable, Alias("ff.MembershipView")]
public sealed record MembershipView(
    [property: Id(0)] string Fan,
    [property: Id(1)] string Creator,
    [property: Id(2)] bool IsActive,
    [property: Id(3)] DateTimeOffset? PurchasedAt,
    [property: Id(4)] DateTimeOffset? ExpiresAt,
    [property: Id(5)] int DaysRemaining,
    [property: Id(6)] int Purchases,
    [property: Id(7)] long LastPaidMicroAlgo,
    [property: Id(8)] long TotalPaidMicroAlgo,
    [property: Id(9)] ulong? AssetId,
    [property: Id(10)] DateTimeOffset AsOf,
    [property: Id(11)] long PriceMicroAlgo,
    [property: Id(12)] TimeSpan Validity,
    [property: Id(13)] DateTimeOffset? ExpiryBookedAt = null);

/// <summary>A creator's Bauni members (key: creator wallet), kept by the memberships as they start and end.</summary>
[Alias("ff.ICreatorMembers")]
public interface ICreatorMembers : IGrainWithStringKey
{
    /// <summary>
    /// A membership started (<paramref name="active"/> true) or ended. <paramref name="term"/> numbers the
    /// membership's active spells, so a repeated notice of the same change is recognised and counted once.
    /// </summary>
    [Alias("Changed")]
    Task ChangedAsync(string fan, int term, bool active);

    /// <summary>The counts now.</summary>
    [Alias("Get")]
    Task<CreatorMemberCount> GetAsync();
}

/// <summary>Members active now, and fans who were ever members.</summary>
[GenerateSerializer, Immutable, Alias("ff.CreatorMemberCount")]
public sealed record CreatorMemberCount([property: Id(0)] int Active, [property: Id(1)] int EverJoined, [property: Id(2)] int Expirations);
