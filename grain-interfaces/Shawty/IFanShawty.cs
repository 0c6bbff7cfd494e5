using FanForge.GrainInterfaces.Loyalty;
using FanForge.GrainInterfaces.Nfts;

namespace FanForge.GrainInterfaces.Shawty;

/// <summary>
/// A fan's Shawty wallet (key: fan wallet): purchases waiting for their token, an index of the tokens the fan holds,
/// and the fan's latest redemptions. The index may briefly list a token that another fan owns (a transfer in flight
/// or one that failed halfway); readers see only tokens whose <see cref="IShawtyToken"/> names this fan as owner.
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
    /// The token bought by <paramref name="purchaseTxId"/> landed: it is issued and indexed (idempotent; the minter
    /// calls it until it succeeds).
    /// </summary>
    [Alias("TokenMinted")]
    Task TokenMintedAsync(string purchaseTxId, NftRecord minted);

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
    /// The tokens the fan owns now, newest purchase first; burned and locked ones only when
    /// <paramref name="includeSpent"/>.
    /// </summary>
    [Alias("GetTokens")]
    Task<IReadOnlyList<ShawtyTokenView>> GetTokensAsync(bool includeSpent);

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
