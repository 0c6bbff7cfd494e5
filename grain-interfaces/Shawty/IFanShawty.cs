using FanForge.GrainInterfaces.Loyalty;
using FanForge.GrainInterfaces.Nfts;

namespace FanForge.GrainInterfaces.Shawty;

/// <summary>
/// A fan's Shawty wallet (key: fan wallet): purchases waiting for their token, and the tokens the fan holds.
/// </summary>
[Alias("ff.IFanShawty")]
public interface IFanShawty : IGrainWithStringKey
{
    /// <summary>
    /// A confirmed <c>PURCHASE:SHAWTY</c> payment: one token is minted for it, once, however often this is called
    /// (the mint is keyed by the payment's transaction).
    /// </summary>
    [Alias("ApplyPurchase")]
    Task ApplyPurchaseAsync(ChainTip payment);

    /// <summary>The token bought by <paramref name="purchaseTxId"/> landed (idempotent; the minter calls it).</summary>
    [Alias("TokenMinted")]
    Task TokenMintedAsync(string purchaseTxId, NftRecord minted);
}
