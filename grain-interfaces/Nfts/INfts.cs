using Orleans.Concurrency;

namespace FanForge.GrainInterfaces.Nfts;

/// <summary>
/// Mints one NFT exactly once (key: a deterministic idempotency key such as <c>butki/{creator}/{fan}/{n}</c>): the
/// signed creation is stored before it is first sent, so a crash or retry resends the same transaction and the
/// chain can hold at most one.
/// </summary>
[Alias("ff.IBadgeMint")]
public interface IBadgeMint : IGrainWithStringKey
{
    /// <summary>Starts (or resumes) the mint without making the caller wait for the chain; the owner is told when it lands.</summary>
    [Alias("Start"), OneWay]
    Task StartAsync(BadgeMintRequest request);

    /// <summary>The minted NFT, or null while it is not confirmed.</summary>
    [Alias("Get")]
    Task<NftRecord?> GetAsync();
}

/// <summary>A Butki badge owed to a fan: badge <see cref="BadgeNumber"/> of the pair.</summary>
[GenerateSerializer, Immutable, Alias("ff.BadgeMintRequest")]
public sealed record BadgeMintRequest(
    [property: Id(0)] string Creator,
    [property: Id(1)] string Fan,
    [property: Id(2)] int BadgeNumber);

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
    [property: Id(10)] string DeliveryStatus);

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
}

/// <summary>Delivery states of <see cref="NftRecord.DeliveryStatus"/> (the prototype's values).</summary>
public static class DeliveryStatus
{
    /// <summary>Minted; the fan must opt in before it can be sent.</summary>
    public const string PendingOptIn = "pending_optin";

    /// <summary>In the fan's wallet.</summary>
    public const string Delivered = "delivered";
}
