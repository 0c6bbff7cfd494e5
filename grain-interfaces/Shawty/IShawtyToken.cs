using FanForge.GrainInterfaces.Loyalty;
using FanForge.GrainInterfaces.Nfts;

namespace FanForge.GrainInterfaces.Shawty;

/// <summary>
/// One Shawty token (key: its ASA asset id), the single source of truth for who owns it and what it was spent on:
/// <c>Active</c>, then either <c>Locked</c> (for a discount or order) or <c>Burned</c> (redeemed for merch), never
/// both; only an active token moves to another fan. A retried write by the same caller returns the first result.
/// A token starts in platform custody, where it changes hands without the chain; once its owner claims it into their
/// wallet, every write is also made on the chain with the ASA's freeze and clawback roles (lock freezes the holding,
/// unlock unfreezes it, burn claws it back and destroys the ASA), each from a transaction stored signed before it is
/// first sent, and the owner follows the holder the chain follower sees.
/// </summary>
[Alias("ff.IShawtyToken")]
public interface IShawtyToken : IGrainWithIntegerKey
{
    /// <summary>
    /// Records the token minted for a purchase (idempotent: the first issue wins and every later call returns the
    /// token as it is now), then tells the buyer's Shawty wallet (<see cref="IFanShawty.TokenIssuedAsync"/>), on
    /// every call, so a repeat also repairs a notice that failed. The minter calls it when the mint lands.
    /// </summary>
    [Alias("Issue")]
    Task<ShawtyTokenView> IssueAsync(ShawtyIssue issue);

    /// <summary>The token now, or null if no token was issued under this asset id.</summary>
    [Alias("Get")]
    Task<ShawtyTokenView?> GetAsync();

    /// <summary>
    /// Burns the token for merch (<paramref name="itemDescription"/>, 1..500 characters). Idempotency key: caller
    /// and description; the same burn again returns the burned token.
    /// </summary>
    [Alias("Burn")]
    Task<ShawtyTokenView> BurnAsync(string caller, string itemDescription);

    /// <summary>
    /// Locks the token for a discount (<paramref name="discountDescription"/>, 1..500 characters). Idempotency key:
    /// caller and description; the same lock again returns the locked token.
    /// </summary>
    [Alias("Lock")]
    Task<ShawtyTokenView> LockAsync(string caller, string discountDescription);

    /// <summary>
    /// Gives the active token to <paramref name="recipient"/>: it joins the recipient's Shawty wallet before the owner
    /// changes and leaves the caller's after, and its NFT record moves with it. Idempotency key: caller and
    /// recipient; a retry after success returns the token and completes any step a failure left undone.
    /// </summary>
    [Alias("Transfer")]
    Task<ShawtyTokenView> TransferAsync(string caller, string recipient);

    /// <summary>
    /// Burns a token that <paramref name="caller"/> locked with <paramref name="lockDescription"/> (a merch order was
    /// paid with its discount). Idempotent: settling again returns the burned token.
    /// </summary>
    [Alias("SettleLock")]
    Task<ShawtyTokenView> SettleLockAsync(string caller, string lockDescription);

    /// <summary>
    /// Makes a token locked with <paramref name="lockDescription"/> active again (its order ended unpaid). Idempotent:
    /// releasing again returns the active token.
    /// </summary>
    [Alias("ReleaseLock")]
    Task<ShawtyTokenView> ReleaseLockAsync(string caller, string lockDescription);

    /// <summary>
    /// Delivers the active token from platform custody to <paramref name="fan"/>'s wallet, its owner, after the fan opted
    /// in (400 <c>not_opted_in</c> before): one clawback transfer stored signed before it is first sent, so a retried
    /// claim returns the first delivery. Locked or burned tokens stay where they are (409).
    /// </summary>
    [Alias("Claim")]
    Task<NftRecord> ClaimAsync(string fan);

    /// <summary>
    /// The chain follower saw the holder of the claimed token move it (<see cref="ShawtyChainTransfer"/>): the receiver
    /// becomes the owner. Idempotent by chain position (a transfer at or before the last one seen changes nothing).
    /// </summary>
    [Alias("ObserveTransfer")]
    Task ObserveTransferAsync(ShawtyChainTransfer transfer);
}

/// <summary>A holder's own transfer of a claimed Shawty token, as confirmed on the chain at <see cref="Position"/>.</summary>
[GenerateSerializer, Immutable, Alias("ff.ShawtyChainTransfer")]
public sealed record ShawtyChainTransfer(
    [property: Id(0)] ulong AssetId,
    [property: Id(1)] string Creator,
    [property: Id(2)] string From,
    [property: Id(3)] string To,
    [property: Id(4)] ChainPosition Position,
    [property: Id(5)] string TxId,
    [property: Id(6)] DateTimeOffset ConfirmedAt);

/// <summary>What the purchase and its mint say about a new token.</summary>
[GenerateSerializer, Immutable, Alias("ff.ShawtyIssue")]
public sealed record ShawtyIssue(
    [property: Id(0)] string Owner,
    [property: Id(1)] string Creator,
    [property: Id(2)] string PurchaseTxId,
    [property: Id(3)] long AmountPaidMicroAlgo,
    [property: Id(4)] DateTimeOffset PurchasedAt,
    [property: Id(5)] NftRecord Minted);

/// <summary>Where a token is in its life.</summary>
[GenerateSerializer, Alias("ff.ShawtyStatus")]
public enum ShawtyStatus
{
    /// <summary>Usable: may be burned, locked or transferred.</summary>
    Active = 0,

    /// <summary>Held for a discount or order; no longer usable or transferable.</summary>
    Locked = 1,

    /// <summary>Redeemed for merch; spent for good.</summary>
    Burned = 2,
}

/// <summary>One transition of a token, as it happened.</summary>
[GenerateSerializer, Immutable, Alias("ff.ShawtyAuditEntry")]
public sealed record ShawtyAuditEntry(
    [property: Id(0)] string Type,
    [property: Id(1)] string Description,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] string ByWallet,
    [property: Id(4)] string? ToWallet);

/// <summary>
/// A token as of now. <see cref="LedgerHolder"/> is the account that holds the ASA on the chain: the platform while
/// the token is in custody (<see cref="Owner"/> is then the beneficial owner recorded by the platform), the owner once
/// claimed (<see cref="InWallet"/>), and the platform again after a claimed token is burned (clawed back, the ASA
/// destroyed). <see cref="LedgerFrozen"/>: the holder's holding is frozen (a claimed token locked for a discount).
/// </summary>
[GenerateSerializer, Immutable, Alias("ff.ShawtyTokenView")]
public sealed record ShawtyTokenView(
    [property: Id(0)] ulong AssetId,
    [property: Id(1)] string Owner,
    [property: Id(2)] string Creator,
    [property: Id(3)] string PurchaseTxId,
    [property: Id(4)] long AmountPaidMicroAlgo,
    [property: Id(5)] DateTimeOffset PurchasedAt,
    [property: Id(6)] ShawtyStatus Status,
    [property: Id(7)] string LedgerHolder,
    [property: Id(8)] IReadOnlyList<ShawtyAuditEntry> Audit,
    [property: Id(9)] bool InWallet = false,
    [property: Id(10)] bool LedgerFrozen = false)
{
    /// <summary>Burned for merch.</summary>
    public bool IsBurned => Status == ShawtyStatus.Burned;

    /// <summary>Locked for a discount.</summary>
    public bool IsLocked => Status == ShawtyStatus.Locked;

    /// <summary>Neither burned nor locked.</summary>
    public bool IsRedeemable => Status == ShawtyStatus.Active;
}

/// <summary>Audit and redemption types, as the prototype names them.</summary>
public static class ShawtyEntryTypes
{
    /// <summary>Burned for merch.</summary>
    public const string BurnMerch = "burn_merch";

    /// <summary>Locked for a discount.</summary>
    public const string LockDiscount = "lock_discount";

    /// <summary>Given to another fan.</summary>
    public const string Transfer = "transfer";

    /// <summary>A lock released because what it was for ended (an unpaid order).</summary>
    public const string Unlock = "unlock";

    /// <summary>Delivered from platform custody to the owner's wallet.</summary>
    public const string Claim = "claim";
}

/// <summary>Stable error codes of the Shawty routes and grains; clients branch on them, so never rename one.</summary>
public static class ShawtyErrors
{
    /// <summary>No token was issued under the asset id (404).</summary>
    public const string TokenNotFound = "shawty_token_not_found";

    /// <summary>The caller does not own the token and never did (403).</summary>
    public const string NotOwner = "shawty_not_owner";

    /// <summary>The caller gave the token away before this request (409: its view is stale).</summary>
    public const string Transferred = "shawty_transferred";

    /// <summary>The token is burned (409).</summary>
    public const string AlreadyBurned = "shawty_already_burned";

    /// <summary>The token is locked for a discount (409).</summary>
    public const string AlreadyLocked = "shawty_already_locked";

    /// <summary>Sender and recipient are the same wallet (400).</summary>
    public const string TransferToSelf = "shawty_transfer_to_self";

    /// <summary>An item or discount description is empty or longer than 500 characters (400).</summary>
    public const string InvalidDescription = "shawty_invalid_description";

    /// <summary>The asset id is missing or not positive (400).</summary>
    public const string InvalidAssetId = "shawty_invalid_asset_id";

    /// <summary>The token is not locked for what the caller says (settling or releasing another lock).</summary>
    public const string NotLockedForThis = "shawty_not_locked_for_this";

    /// <summary>
    /// The token is in its owner's wallet, so the platform cannot give it away in custody: the owner transfers it from
    /// the wallet (409; the same code a golden sticker in a wallet answers).
    /// </summary>
    public const string InWallet = "in_wallet";
}
