using FanForge.GrainInterfaces.Loyalty;
using Orleans.Concurrency;

namespace FanForge.GrainInterfaces.Nfts;

/// <summary>
/// Mints one NFT exactly once (key: <see cref="MintRequest.Key"/>, deterministic, such as <c>butki/{creator}/{fan}/{n}</c>):
/// the signed creation is stored before it is first sent, so a crash or retry resends the same transaction and the
/// chain can hold at most one. When it lands, the owner of the request (pair, membership, Shawty wallet) is told.
/// </summary>
[Alias("ff.IBadgeMint")]
public interface INftMint : IGrainWithStringKey
{
    /// <summary>
    /// Starts (or resumes) the mint without making the caller wait for the chain; the owner is told when it lands. After a
    /// failure the mint retries itself with backoff, and an ask before the backoff ends changes nothing.
    /// </summary>
    [Alias("Start"), OneWay]
    Task StartAsync(MintRequest request);

    /// <summary>Mints (or resumes the mint) and waits until it is on the chain; a repeat returns the same NFT.</summary>
    [Alias("Mint")]
    Task<NftRecord> MintAsync(MintRequest request);

    /// <summary>The minted NFT, or null while it is not confirmed.</summary>
    [Alias("Get")]
    Task<NftRecord?> GetAsync();
}

/// <summary>The NFT kinds the platform mints for fans.</summary>
[GenerateSerializer, Alias("ff.NftKind")]
public enum NftKind
{
    /// <summary>Soulbound loyalty badge, one per interval of tips.</summary>
    Butki = 0,

    /// <summary>Soulbound membership badge, one per fan–creator membership.</summary>
    Bauni = 1,

    /// <summary>Transferable utility token, one per purchase.</summary>
    Shawty = 2,

    /// <summary>Soulbound sticker from a creator's template, minted by a platform admin.</summary>
    Sticker = 3,

    /// <summary>Transferable (golden) sticker from a creator's template, minted by a platform admin.</summary>
    Golden = 4,
}

/// <summary>
/// An NFT owed to a fan. <see cref="Reference"/> makes it unique within its kind and pair: the badge number for
/// Butki, the purchase transaction for Shawty, nothing for Bauni (one per membership), the template and the caller's
/// key for stickers. <see cref="TemplateId"/> names the template a sticker is minted from; rewards find theirs.
/// <see cref="PaidMicroAlgo"/> and <see cref="PaidAt"/> carry a Shawty purchase to the minter, which issues the token
/// itself when it lands; they are not part of <see cref="Key"/>, and requests stored before they existed read as null.
/// </summary>
[GenerateSerializer, Immutable, Alias("ff.MintRequest")]
public sealed record MintRequest(
    [property: Id(0)] NftKind Kind,
    [property: Id(1)] string Creator,
    [property: Id(2)] string Fan,
    [property: Id(3)] string Reference,
    [property: Id(4)] long? TemplateId = null,
    [property: Id(5)] long? PaidMicroAlgo = null,
    [property: Id(6)] DateTimeOffset? PaidAt = null)
{
    /// <summary>Butki badge number <paramref name="badgeNumber"/> of the pair.</summary>
    public static MintRequest Butki(string creator, string fan, int badgeNumber) =>
        new(NftKind.Butki, creator, fan, badgeNumber.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The pair's Bauni membership badge.</summary>
    public static MintRequest Bauni(string creator, string fan) => new(NftKind.Bauni, creator, fan, "membership");

    /// <summary>
    /// The Shawty token bought by <paramref name="payment"/> (keyed by its transaction), with what was paid and when, so
    /// the minter can issue the token without asking the buyer's wallet.
    /// </summary>
    public static MintRequest Shawty(ChainTip payment) =>
        new(NftKind.Shawty, payment.Creator, payment.Fan, payment.TxId, PaidMicroAlgo: payment.AmountMicroAlgo, PaidAt: payment.ConfirmedAt);

    /// <summary>
    /// A sticker from template <paramref name="templateId"/> (of <paramref name="creator"/>), once per
    /// <paramref name="requestKey"/>: the same key is the same sticker.
    /// </summary>
    public static MintRequest Sticker(bool golden, string creator, string fan, long templateId, string requestKey) =>
        new(golden ? NftKind.Golden : NftKind.Sticker, creator, fan, $"{templateId}/{requestKey}", templateId);

    /// <summary>The mint grain's key, and so the idempotency key of the mint: persisted, never change its format.</summary>
    public string Key => $"{Kind.ToString().ToLowerInvariant()}/{Creator}/{Fan}/{Reference}";

    /// <summary>The Butki badge number (only for <see cref="NftKind.Butki"/>).</summary>
    public int BadgeNumber => int.Parse(Reference, System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>An NFT the platform minted for a fan.</summary>
[GenerateSerializer, Immutable, Alias("ff.NftRecord")]
public sealed record NftRecord(
    [property: Id(0)] long Id,
    [property: Id(1)] ulong AssetId,
    [property: Id(2)] string OwnerWallet,
    [property: Id(3)] string CreatorWallet,
    [property: Id(4)] string NftClass,
    [property: Id(5)] string StickerType,
    [property: Id(6)] string Name,
    [property: Id(7)] string MetadataUrl,
    [property: Id(8)] string TxId,
    [property: Id(9)] DateTimeOffset MintedAt,
    [property: Id(10)] string DeliveryStatus,
    [property: Id(11)] long? TemplateId = null,
    [property: Id(12)] string? ImageCid = null,
    [property: Id(13)] string? Category = null);

/// <summary>A fan's NFTs (key: fan wallet): minted and waiting for the fan's opt-in, or delivered.</summary>
[Alias("ff.IFanNfts")]
public interface IFanNfts : IGrainWithStringKey
{
    /// <summary>Adds or replaces an NFT by asset id (idempotent).</summary>
    [Alias("Record")]
    Task RecordAsync(NftRecord nft);

    /// <summary>NFTs waiting for the fan's opt-in and claim, newest first.</summary>
    [Alias("GetPending")]
    Task<IReadOnlyList<NftRecord>> GetPendingAsync();

    /// <summary>Every NFT of the fan, newest first.</summary>
    [Alias("GetAll")]
    Task<IReadOnlyList<NftRecord>> GetAllAsync();

    /// <summary>Forgets an NFT that left the fan (a transferred Shawty); idempotent.</summary>
    [Alias("Remove")]
    Task RemoveAsync(ulong assetId);
}

/// <summary>Delivery states of <see cref="NftRecord.DeliveryStatus"/> (the prototype's values).</summary>
public static class DeliveryStatus
{
    /// <summary>Minted; the fan must opt in before it can be sent.</summary>
    public const string PendingOptIn = "pending_optin";

    /// <summary>In the fan's wallet.</summary>
    public const string Delivered = "delivered";
}
