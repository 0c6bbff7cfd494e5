using FanForge.GrainInterfaces.Errors;
using FanForge.GrainInterfaces.Shawty;

namespace FanForge.Grains.Shawty;

/// <summary>The writes a fan can ask of a Shawty token (persisted in a token's pending chain operation: never renumber).</summary>
[GenerateSerializer, Alias("ff.ShawtyAction")]
public enum ShawtyAction
{
    Burn = 0,
    Lock = 1,
    Transfer = 2,

    /// <summary>Burn a token locked for an order that was paid.</summary>
    SettleLock = 3,

    /// <summary>Unlock a token locked for an order that ended unpaid.</summary>
    ReleaseLock = 4,

    /// <summary>Deliver the token from platform custody to its owner's wallet.</summary>
    Claim = 5,
}

/// <summary>What a permitted request does: change the token, or nothing because it repeats a change already made.</summary>
public enum ShawtyDecision
{
    Apply,
    Replay,
}

/// <summary>
/// Shawty token rules, pure: which write is allowed from which state and by whom. Checks run in the prototype's order
/// (input, exists, owner, burned, locked), after recognising a retry, which is never an error.
/// </summary>
public static class ShawtyRules
{
    public const int MaxDescriptionLength = 500;

    /// <summary>Audit entries kept per token (oldest dropped first); a burn or lock is terminal, so it is always kept.</summary>
    public const int AuditCapacity = 100;

    /// <summary>Redemptions a fan's history keeps.</summary>
    public const int RedemptionHistoryCapacity = 200;

    /// <summary>1 to 500 characters, not only white space; throws a 400 otherwise.</summary>
    public static string ValidDescription(string? description, string field) =>
        string.IsNullOrWhiteSpace(description) || description.Length > MaxDescriptionLength
            ? throw DomainException.Invalid(ShawtyErrors.InvalidDescription, $"{field} must be 1 to {MaxDescriptionLength} characters.")
            : description;

    /// <summary>Asset ids are positive; throws a 400 otherwise.</summary>
    public static ulong ValidAssetId(long? assetId) =>
        assetId is > 0 ? (ulong)assetId.Value : throw DomainException.Invalid(ShawtyErrors.InvalidAssetId, "asset_id must be a positive integer.");

    /// <summary>
    /// Decides <paramref name="action"/> by <paramref name="caller"/> on <paramref name="token"/> (null: never issued).
    /// <paramref name="argument"/> is the description for a burn or lock, the recipient for a transfer.
    /// </summary>
    public static ShawtyDecision Decide(ulong assetId, ShawtyTokenView? token, ShawtyAction action, string caller, string argument)
    {
        if (action == ShawtyAction.Transfer)
        {
            if (string.Equals(caller, argument, StringComparison.Ordinal))
            {
                throw DomainException.Invalid(ShawtyErrors.TransferToSelf, "Cannot transfer to same wallet");
            }
        }
        else if (action != ShawtyAction.Claim)
        {
            ValidDescription(argument, action == ShawtyAction.Burn ? "item_description" : "discount_description");
        }

        if (token is null)
        {
            throw new DomainException(DomainErrorKind.NotFound, ShawtyErrors.TokenNotFound, $"Shawty token ASA {assetId} not found", new { asset_id = assetId });
        }

        if (IsRetry(token, action, caller, argument))
        {
            return ShawtyDecision.Replay;
        }

        if (!string.Equals(token.Owner, caller, StringComparison.Ordinal))
        {
            // A former owner's request is stale rather than hostile: it lost a race with its own transfer.
            throw token.Audit.Any(e => e.Type == ShawtyEntryTypes.Transfer && e.ByWallet == caller)
                ? DomainException.Conflict(ShawtyErrors.Transferred, $"Token ASA {assetId} was transferred to another wallet", new { asset_id = assetId })
                : DomainException.Forbidden(ShawtyErrors.NotOwner, $"Token not owned by {Short(caller)}...");
        }

        if (action is ShawtyAction.SettleLock or ShawtyAction.ReleaseLock)
        {
            var last = token.Audit.Count > 0 ? token.Audit[^1] : null;
            return token.Status == ShawtyStatus.Locked && last is { Type: ShawtyEntryTypes.LockDiscount } && last.Description == argument
                ? ShawtyDecision.Apply
                : throw DomainException.Conflict(ShawtyErrors.NotLockedForThis, $"Token ASA {assetId} is not locked for: {argument}", new { asset_id = assetId });
        }

        return token.Status switch
        {
            ShawtyStatus.Burned => throw DomainException.Conflict(ShawtyErrors.AlreadyBurned, $"Token ASA {assetId} already burned", new { asset_id = assetId }),
            ShawtyStatus.Locked => throw DomainException.Conflict(ShawtyErrors.AlreadyLocked, $"Token ASA {assetId} is locked for discount", new { asset_id = assetId }),
            // In the owner's wallet the chain moves it: the platform cannot give it away in custody any more.
            _ when action == ShawtyAction.Transfer && token.InWallet => throw DomainException.Conflict(ShawtyErrors.InWallet,
                $"Shawty token ASA {assetId} is in the owner's wallet: transfer it from the wallet.", new { asset_id = assetId }),
            _ => ShawtyDecision.Apply,
        };
    }

    /// <summary>The status after <paramref name="action"/> is applied.</summary>
    public static ShawtyStatus After(ShawtyAction action, ShawtyStatus status) => action switch
    {
        ShawtyAction.Burn or ShawtyAction.SettleLock => ShawtyStatus.Burned,
        ShawtyAction.Lock => ShawtyStatus.Locked,
        ShawtyAction.ReleaseLock => ShawtyStatus.Active,
        _ => status,
    };

    /// <summary>The audit entry for an applied action.</summary>
    public static ShawtyAuditEntry Entry(ShawtyAction action, string caller, string argument, DateTimeOffset at) => action switch
    {
        ShawtyAction.Burn or ShawtyAction.SettleLock => new(ShawtyEntryTypes.BurnMerch, argument, at, caller, null),
        ShawtyAction.Lock => new(ShawtyEntryTypes.LockDiscount, argument, at, caller, null),
        ShawtyAction.ReleaseLock => new(ShawtyEntryTypes.Unlock, argument, at, caller, null),
        ShawtyAction.Claim => new(ShawtyEntryTypes.Claim, "Claimed to the owner's wallet", at, caller, null),
        _ => new(ShawtyEntryTypes.Transfer, $"Transferred to {argument}", at, caller, argument),
    };

    /// <summary>
    /// The same caller asking for what it already got: the burn or lock with the same description (terminal, so the
    /// last entry), or a transfer to the same recipient as the caller's latest transfer, now that it no longer owns it.
    /// </summary>
    public static bool IsRetry(ShawtyTokenView token, ShawtyAction action, string caller, string argument)
    {
        var last = token.Audit.Count > 0 ? token.Audit[^1] : null;
        return action switch
        {
            ShawtyAction.Burn or ShawtyAction.SettleLock => token.Status == ShawtyStatus.Burned && last is { Type: ShawtyEntryTypes.BurnMerch } && last.ByWallet == caller && last.Description == argument,
            ShawtyAction.ReleaseLock => token.Status == ShawtyStatus.Active && last is { Type: ShawtyEntryTypes.Unlock } && last.ByWallet == caller && last.Description == argument,
            ShawtyAction.Lock => token.Status == ShawtyStatus.Locked && last is { Type: ShawtyEntryTypes.LockDiscount } && last.ByWallet == caller && last.Description == argument,
            ShawtyAction.Claim => token.InWallet && token.Owner == caller,
            _ => token.Owner != caller
                && token.Audit.LastOrDefault(e => e.Type == ShawtyEntryTypes.Transfer && e.ByWallet == caller) is { } mine
                && mine.ToWallet == argument,
        };
    }

    private static string Short(string wallet) => wallet.Length > 8 ? wallet[..8] : wallet;
}
