using FanForge.GrainInterfaces.Loyalty;

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
}

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
