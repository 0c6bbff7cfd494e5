using FanForge.GrainInterfaces.Loyalty;
using FanForge.GrainInterfaces.Nfts;

namespace FanForge.GrainInterfaces.Shawty;

/// <summary>
/// A fan's Shawty wallet (key: fan wallet): purchases waiting for their token, an index of the tokens the fan holds,
/// and the fan's latest redemptions. The index may briefly list a token that another fan owns (a transfer in flight
/// or one that failed halfway); readers keep only tokens whose <see cref="IShawtyToken"/> names this fan as owner.
/// The tokens call this grain and it never calls them: the index follows the tokens, and readers ask the tokens
/// themselves, so no call can wait on a token that waits on this wallet.
/// </summary>
[Alias("ff.IFanShawty")]
public interface IFanShawty : IGrainWithStringKey
{
    /// <summary>
    /// A confirmed <c>PURCHASE:SHAWTY</c> payment: one token is minted for it, once, however often this is called
    /// (idempotency key: the payment's transaction id). Returns false when the purchase was applied before.
    /// </summary>
    [Alias("ApplyPurchase")]
    Task<bool> ApplyPurchaseAsync(ChainTip payment);

    /// <summary>
    /// The token bought by <paramref name="purchaseTxId"/> is issued as <paramref name="assetId"/>: the purchase is no
    /// longer pending, and the token is indexed while <paramref name="stillOwned"/> (the fan is its owner). A repeated
    /// notice that finds it given away forgets it instead, in the index and in the fan's <see cref="IFanNfts"/>, where
    /// the repeated mint filed it again. Idempotent; the token calls it on every issue, the first and each repeat.
    /// </summary>
    [Alias("TokenIssued")]
    Task TokenIssuedAsync(string purchaseTxId, ulong assetId, bool stillOwned);

    /// <summary>Indexes a token the fan is about to receive (idempotent; the token calls it before changing owner).</summary>
    [Alias("AddHeld")]
    Task AddHeldAsync(ulong assetId);

    /// <summary>Forgets a token the fan gave away (idempotent; the token calls it after changing owner).</summary>
    [Alias("RemoveHeld")]
    Task RemoveHeldAsync(ulong assetId);

    /// <summary>Records a burn or lock of a token the fan owned (idempotent per asset id; a token is spent once).</summary>
    [Alias("RecordRedemption")]
    Task RecordRedemptionAsync(ShawtyRedemption redemption);

    /// <summary>
    /// Asset ids of the tokens indexed here, in no particular order. Some may belong to another fan by now: a reader
    /// asks each <see cref="IShawtyToken"/> and keeps those that name this fan as owner.
    /// </summary>
    [Alias("GetHeld")]
    Task<IReadOnlyList<ulong>> GetHeldAsync();

    /// <summary>The fan's latest redemptions, newest first, at most <paramref name="limit"/> (the history keeps 200).</summary>
    [Alias("GetRedemptions")]
    Task<IReadOnlyList<ShawtyRedemption>> GetRedemptionsAsync(int limit);

    /// <summary>Purchases paid for whose token has not landed yet.</summary>
    [Alias("GetPendingCount")]
    Task<int> GetPendingCountAsync();
}

/// <summary>A token spent by its owner: burned for merch or locked for a discount.</summary>
[GenerateSerializer, Immutable, Alias("ff.ShawtyRedemption")]
public sealed record ShawtyRedemption(
    [property: Id(0)] ulong AssetId,
    [property: Id(1)] string Type,
    [property: Id(2)] string Description,
    [property: Id(3)] DateTimeOffset RedeemedAt);
