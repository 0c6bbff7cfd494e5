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

/// <summary>The chain's parameters as clients need them to build transactions.</summary>
[GenerateSerializer, Immutable, Alias("ff.ChainParams")]
public sealed record ChainParams(
    [property: Id(0)] ulong FeePerByte,
    [property: Id(1)] ulong MinFee,
    [property: Id(2)] ulong LastRound,
    [property: Id(3)] string GenesisId,
    [property: Id(4)] byte[] GenesisHash);

/// <summary>Reads of the chain for the API (which holds no node client of its own); any silo answers.</summary>
[Alias("ff.IChainInfo")]
public interface IChainInfo : IGrainWithIntegerKey
{
    /// <summary>The node's suggested parameters now.</summary>
    [Alias("GetParams")]
    Task<ChainParams> GetParamsAsync();

    /// <summary>TipProxy's compiled programs and the platform account that a deployment names.</summary>
    [Alias("GetTipProxyDeployment")]
    Task<TipProxyDeployment> GetTipProxyDeploymentAsync();
}

/// <summary>What a TipProxy creation needs besides the creator: the programs and the platform's address.</summary>
[GenerateSerializer, Immutable, Alias("ff.TipProxyDeployment")]
public sealed record TipProxyDeployment([property: Id(0)] byte[] Approval, [property: Id(1)] byte[] Clear, [property: Id(2)] string Platform);

/// <summary>Error codes of NFT delivery.</summary>
public static class NftErrors
{
    /// <summary>The fan has not opted into the asset yet (400).</summary>
    public const string NotOptedIn = "not_opted_in";
}
