namespace FanForge.GrainInterfaces.Nfts;

/// <summary>
/// Delivery of one platform-minted NFT (key: its asset id) from platform custody to its fan, after the fan opted in:
/// one clawback transfer, stored signed before it is first sent, so a retried claim never moves it twice.
/// </summary>
[Alias("ff.INftDelivery")]
public interface INftDelivery : IGrainWithIntegerKey
{
    /// <summary>The fan's unsigned opt-in (a 0-unit transfer to itself) for the wallet to sign.</summary>
    [Alias("BuildOptIn")]
    Task<byte[]> BuildOptInAsync(string fan);

    /// <summary>
    /// Sends the NFT to <paramref name="fan"/>, its owner: 404 unless it is the fan's and still pending, 400
    /// <c>not_opted_in</c> until the fan opted in. Idempotent: a delivered NFT is returned as it is.
    /// </summary>
    [Alias("Claim")]
    Task<NftRecord> ClaimAsync(string fan);

    /// <summary>
    /// Sends a Shawty token to <paramref name="owner"/>'s wallet by the same stored clawback transfer as a claim. Only
    /// the token's <c>IShawtyToken</c> calls it: the token knows who owns it now (custody transfers move it without the
    /// NFT record), and it orders the delivery with its other writes. Idempotent: a delivered token is returned as it is.
    /// </summary>
    [Alias("DeliverToken")]
    Task<NftRecord> DeliverTokenAsync(string owner);

    /// <summary>
    /// Gives a golden sticker still in platform custody from its owner <paramref name="from"/> to <paramref name="to"/>
    /// (idempotent: given again, it is returned as it is). One in the owner's wallet moves by the owner's own transfer:
    /// 409 <c>in_wallet</c>.
    /// </summary>
    [Alias("Give")]
    Task<NftRecord> GiveAsync(string from, string to);

    /// <summary>The minter records what it minted (idempotent), so the NFT can be found by its asset id.</summary>
    [Alias("Record")]
    Task RecordAsync(NftRecord minted);

    /// <summary>The NFT as minted or delivered, or null for an asset the platform did not mint.</summary>
    [Alias("Get")]
    Task<NftRecord?> GetAsync();
}

/// <summary>Error codes of NFT delivery.</summary>
public static class NftErrors
{
    /// <summary>The fan has not opted into the asset yet (400).</summary>
    public const string NotOptedIn = "not_opted_in";
}
