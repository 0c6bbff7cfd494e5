using FanForge.Grains.Shawty;
using FanForge.GrainInterfaces.Errors;
using FanForge.GrainInterfaces.Shawty;

namespace FanForge.Tests.Shawty;

public sealed class ShawtyRulesTests
{
    private const string Owner = "OWNER";
    private const string Stranger = "STRANGER";
    private const string Friend = "FRIEND";
    private static readonly DateTimeOffset At = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A token in <paramref name="status"/> owned by <paramref name="owner"/> after <paramref name="audit"/>.</summary>
    private static ShawtyTokenView Token(ShawtyStatus status = ShawtyStatus.Active, string owner = Owner, params ShawtyAuditEntry[] audit) =>
        new(7, owner, "CREATOR", "PURCHASE-TX", 2_000_000, At, status, "PLATFORM", audit);

    private static ShawtyAuditEntry Burned(string by = Owner, string description = "T-shirt") => new(ShawtyEntryTypes.BurnMerch, description, At, by, null);

    private static ShawtyAuditEntry Locked(string by = Owner, string description = "10% off") => new(ShawtyEntryTypes.LockDiscount, description, At, by, null);

    private static ShawtyAuditEntry Gave(string from, string to) => new(ShawtyEntryTypes.Transfer, $"Transferred to {to}", At, from, to);

    /// <summary>A token claimed into <paramref name="owner"/>'s wallet.</summary>
    private static ShawtyTokenView InWallet(ShawtyStatus status = ShawtyStatus.Active, string owner = Owner, params ShawtyAuditEntry[] audit) =>
        Token(status, owner, audit) with { LedgerHolder = owner, InWallet = true };

    public static TheoryData<string, ShawtyTokenView, ShawtyAction, string, string, ShawtyDecision> Allowed() => new()
    {
        { "owner burns an active token", Token(), ShawtyAction.Burn, Owner, "T-shirt", ShawtyDecision.Apply },
        { "owner locks an active token", Token(), ShawtyAction.Lock, Owner, "10% off", ShawtyDecision.Apply },
        { "owner gives an active token", Token(), ShawtyAction.Transfer, Owner, Friend, ShawtyDecision.Apply },
        { "the same burn again", Token(ShawtyStatus.Burned, Owner, Burned()), ShawtyAction.Burn, Owner, "T-shirt", ShawtyDecision.Replay },
        { "the same lock again", Token(ShawtyStatus.Locked, Owner, Locked()), ShawtyAction.Lock, Owner, "10% off", ShawtyDecision.Replay },
        { "the same transfer again", Token(ShawtyStatus.Active, Friend, Gave(Owner, Friend)), ShawtyAction.Transfer, Owner, Friend, ShawtyDecision.Replay },
        { "the same transfer after the recipient burned it", Token(ShawtyStatus.Burned, Friend, Gave(Owner, Friend), Burned(Friend)), ShawtyAction.Transfer, Owner, Friend, ShawtyDecision.Replay },
        { "the new owner gives it on", Token(ShawtyStatus.Active, Friend, Gave(Owner, Friend)), ShawtyAction.Transfer, Friend, Stranger, ShawtyDecision.Apply },
        { "given back, the first owner may give it again", Token(ShawtyStatus.Active, Owner, Gave(Owner, Friend), Gave(Friend, Owner)), ShawtyAction.Transfer, Owner, Friend, ShawtyDecision.Apply },
        { "the new owner burns it", Token(ShawtyStatus.Active, Friend, Gave(Owner, Friend)), ShawtyAction.Burn, Friend, "Hoodie", ShawtyDecision.Apply },
        { "owner claims an active token in custody", Token(), ShawtyAction.Claim, Owner, Owner, ShawtyDecision.Apply },
        { "the new owner claims one given in custody", Token(ShawtyStatus.Active, Friend, Gave(Owner, Friend)), ShawtyAction.Claim, Friend, Friend, ShawtyDecision.Apply },
        { "the same claim again", InWallet(), ShawtyAction.Claim, Owner, Owner, ShawtyDecision.Replay },
        { "a claimed token locked since, claimed again", InWallet(ShawtyStatus.Locked, Owner, Locked()), ShawtyAction.Claim, Owner, Owner, ShawtyDecision.Replay },
        { "owner locks a claimed token", InWallet(), ShawtyAction.Lock, Owner, "10% off", ShawtyDecision.Apply },
        { "owner burns a claimed token", InWallet(), ShawtyAction.Burn, Owner, "T-shirt", ShawtyDecision.Apply },
    };

    [Theory]
    [MemberData(nameof(Allowed))]
    public void Allowed_writes_apply_or_replay(string because, ShawtyTokenView token, ShawtyAction action, string caller, string argument, ShawtyDecision expected) =>
        Assert.True(expected == ShawtyRules.Decide(7, token, action, caller, argument), because);

    public static TheoryData<string, ShawtyTokenView?, ShawtyAction, string, string, DomainErrorKind, string> Refused() => new()
    {
        { "unknown token", null, ShawtyAction.Burn, Owner, "T-shirt", DomainErrorKind.NotFound, ShawtyErrors.TokenNotFound },
        { "stranger burns", Token(), ShawtyAction.Burn, Stranger, "T-shirt", DomainErrorKind.Forbidden, ShawtyErrors.NotOwner },
        { "stranger locks", Token(), ShawtyAction.Lock, Stranger, "10% off", DomainErrorKind.Forbidden, ShawtyErrors.NotOwner },
        { "stranger gives", Token(), ShawtyAction.Transfer, Stranger, Friend, DomainErrorKind.Forbidden, ShawtyErrors.NotOwner },
        { "stranger repeats the owner's burn", Token(ShawtyStatus.Burned, Owner, Burned()), ShawtyAction.Burn, Stranger, "T-shirt", DomainErrorKind.Forbidden, ShawtyErrors.NotOwner },
        { "burn another item", Token(ShawtyStatus.Burned, Owner, Burned()), ShawtyAction.Burn, Owner, "Hoodie", DomainErrorKind.Conflict, ShawtyErrors.AlreadyBurned },
        { "lock a burned token", Token(ShawtyStatus.Burned, Owner, Burned()), ShawtyAction.Lock, Owner, "10% off", DomainErrorKind.Conflict, ShawtyErrors.AlreadyBurned },
        { "give a burned token", Token(ShawtyStatus.Burned, Owner, Burned()), ShawtyAction.Transfer, Owner, Friend, DomainErrorKind.Conflict, ShawtyErrors.AlreadyBurned },
        { "burn a locked token", Token(ShawtyStatus.Locked, Owner, Locked()), ShawtyAction.Burn, Owner, "T-shirt", DomainErrorKind.Conflict, ShawtyErrors.AlreadyLocked },
        { "lock for another discount", Token(ShawtyStatus.Locked, Owner, Locked()), ShawtyAction.Lock, Owner, "20% off", DomainErrorKind.Conflict, ShawtyErrors.AlreadyLocked },
        { "give a locked token", Token(ShawtyStatus.Locked, Owner, Locked()), ShawtyAction.Transfer, Owner, Friend, DomainErrorKind.Conflict, ShawtyErrors.AlreadyLocked },
        { "former owner burns", Token(ShawtyStatus.Active, Friend, Gave(Owner, Friend)), ShawtyAction.Burn, Owner, "T-shirt", DomainErrorKind.Conflict, ShawtyErrors.Transferred },
        { "former owner gives it elsewhere", Token(ShawtyStatus.Active, Friend, Gave(Owner, Friend)), ShawtyAction.Transfer, Owner, Stranger, DomainErrorKind.Conflict, ShawtyErrors.Transferred },
        { "former owner repeats an older transfer", Token(ShawtyStatus.Active, Stranger, Gave(Owner, Friend), Gave(Friend, Owner), Gave(Owner, Stranger)), ShawtyAction.Transfer, Owner, Friend, DomainErrorKind.Conflict, ShawtyErrors.Transferred },
        { "give to oneself", Token(), ShawtyAction.Transfer, Owner, Owner, DomainErrorKind.Validation, ShawtyErrors.TransferToSelf },
        { "give an unknown token to oneself", null, ShawtyAction.Transfer, Owner, Owner, DomainErrorKind.Validation, ShawtyErrors.TransferToSelf },
        { "empty description", Token(), ShawtyAction.Burn, Owner, "", DomainErrorKind.Validation, ShawtyErrors.InvalidDescription },
        { "blank description", Token(), ShawtyAction.Lock, Owner, "   ", DomainErrorKind.Validation, ShawtyErrors.InvalidDescription },
        { "description of 501", Token(), ShawtyAction.Burn, Owner, new string('x', 501), DomainErrorKind.Validation, ShawtyErrors.InvalidDescription },
        { "stranger claims", Token(), ShawtyAction.Claim, Stranger, Stranger, DomainErrorKind.Forbidden, ShawtyErrors.NotOwner },
        { "claim a locked token", Token(ShawtyStatus.Locked, Owner, Locked()), ShawtyAction.Claim, Owner, Owner, DomainErrorKind.Conflict, ShawtyErrors.AlreadyLocked },
        { "claim a burned token", Token(ShawtyStatus.Burned, Owner, Burned()), ShawtyAction.Claim, Owner, Owner, DomainErrorKind.Conflict, ShawtyErrors.AlreadyBurned },
        { "former owner claims one given away", Token(ShawtyStatus.Active, Friend, Gave(Owner, Friend)), ShawtyAction.Claim, Owner, Owner, DomainErrorKind.Conflict, ShawtyErrors.Transferred },
        { "former owner claims one moved on the chain", InWallet(ShawtyStatus.Active, Friend, Gave(Owner, Friend)), ShawtyAction.Claim, Owner, Owner, DomainErrorKind.Conflict, ShawtyErrors.Transferred },
        { "give a claimed token in custody", InWallet(), ShawtyAction.Transfer, Owner, Friend, DomainErrorKind.Conflict, ShawtyErrors.InWallet },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Refused_writes_throw_a_stable_code(string because, ShawtyTokenView? token, ShawtyAction action, string caller, string argument, DomainErrorKind kind, string code)
    {
        var error = Assert.Throws<DomainException>(() => ShawtyRules.Decide(7, token, action, caller, argument));

        Assert.True((kind, code) == (error.Kind, error.Code), $"{because}: got {error.Kind} {error.Code}");
    }

    [Fact]
    public void A_description_of_exactly_500_characters_is_accepted() =>
        Assert.Equal(ShawtyDecision.Apply, ShawtyRules.Decide(7, Token(), ShawtyAction.Burn, Owner, new string('x', 500)));

    [Theory]
    [InlineData(null)]
    [InlineData(0L)]
    [InlineData(-3L)]
    public void Asset_ids_must_be_positive(long? assetId) =>
        Assert.Equal(ShawtyErrors.InvalidAssetId, Assert.Throws<DomainException>(() => ShawtyRules.ValidAssetId(assetId)).Code);

    [Fact]
    public void Applied_actions_leave_the_status_and_entry_the_prototype_names()
    {
        Assert.Equal(ShawtyStatus.Burned, ShawtyRules.After(ShawtyAction.Burn, ShawtyStatus.Active));
        Assert.Equal(ShawtyStatus.Locked, ShawtyRules.After(ShawtyAction.Lock, ShawtyStatus.Active));
        Assert.Equal(ShawtyStatus.Active, ShawtyRules.After(ShawtyAction.Transfer, ShawtyStatus.Active));
        Assert.Equal(new ShawtyAuditEntry("transfer", $"Transferred to {Friend}", At, Owner, Friend), ShawtyRules.Entry(ShawtyAction.Transfer, Owner, Friend, At));
        Assert.Equal(("burn_merch", "lock_discount"), (ShawtyRules.Entry(ShawtyAction.Burn, Owner, "a", At).Type, ShawtyRules.Entry(ShawtyAction.Lock, Owner, "a", At).Type));
    }
}
