using FanForge.Grains.Chain;
using FanForge.GrainInterfaces.Nfts;
using FanForge.GrainInterfaces.Shawty;

namespace FanForge.Grains.Shawty;

[GenerateSerializer, Alias("ff.ShawtyTokenState")]
public sealed class ShawtyTokenState
{
    /// <summary>The beneficial owner; null until issued.</summary>
    [Id(0)] public string? Owner { get; set; }
    [Id(1)] public string Creator { get; set; } = "";
    [Id(2)] public string PurchaseTxId { get; set; } = "";
    [Id(3)] public long AmountPaidMicroAlgo { get; set; }
    [Id(4)] public DateTimeOffset PurchasedAt { get; set; }
    [Id(5)] public ShawtyStatus Status { get; set; }

    /// <summary>The account holding the ASA on the chain (the platform: tokens are minted into custody).</summary>
    [Id(6)] public string LedgerHolder { get; set; } = "";

    /// <summary>The NFT as minted; a transfer records it in the recipient's inventory under the new owner.</summary>
    [Id(7)] public NftRecord? Minted { get; set; }

    /// <summary>Transitions, oldest first, at most <see cref="ShawtyRules.AuditCapacity"/>.</summary>
    [Id(8)] public List<ShawtyAuditEntry> Audit { get; set; } = [];
}

/// <summary>
/// Key: ASA asset id. A thin state machine over <see cref="ShawtyRules"/>. It is the only place the owner lives; the
/// fans' indices (<see cref="IFanShawty"/>, <see cref="IFanNfts"/>) follow it, and the index calls it makes after its
/// own write are repeated by a retry of the same request, so a failure halfway is finished by the caller's retry.
/// Calls go one way only, from the token to the fans' indices, never back: so none of them needs to interleave, and
/// every write here runs alone in its turn.
/// </summary>
[GrainType("ff.shawty-token")]
public sealed class ShawtyTokenGrain(
    [PersistentState("shawty-token", StorageNames.Default)] IPersistentState<ShawtyTokenState> state,
    PlatformAccount platform,
    TimeProvider time) : Grain, IShawtyToken
{
    private ulong AssetId => (ulong)this.GetPrimaryKeyLong();

    public async Task<ShawtyTokenView> IssueAsync(ShawtyIssue issue)
    {
        if (state.State.Owner is null)
        {
            await StoreIssueAsync(issue);
        }

        // Also on a repeat: the buyer's wallet may have missed the first notice, and it is idempotent. Told from here, in
        // this turn, so no transfer can change the owner between this answer and the wallet acting on it.
        await GrainFactory.GetGrain<IFanShawty>(issue.Owner).TokenIssuedAsync(issue.PurchaseTxId, AssetId, state.State.Owner == issue.Owner);
        return View()!;
    }

    public Task<ShawtyTokenView?> GetAsync() => Task.FromResult(View());

    public Task<ShawtyTokenView> BurnAsync(string caller, string itemDescription) => SpendAsync(ShawtyAction.Burn, caller, itemDescription);

    public Task<ShawtyTokenView> LockAsync(string caller, string discountDescription) => SpendAsync(ShawtyAction.Lock, caller, discountDescription);

    public Task<ShawtyTokenView> SettleLockAsync(string caller, string lockDescription) => SpendAsync(ShawtyAction.SettleLock, caller, lockDescription);

    public async Task<ShawtyTokenView> ReleaseLockAsync(string caller, string lockDescription)
    {
        if (ShawtyRules.Decide(AssetId, View(), ShawtyAction.ReleaseLock, caller, lockDescription) == ShawtyDecision.Apply)
        {
            await ApplyAsync(ShawtyAction.ReleaseLock, caller, lockDescription, () => state.State.Status = ShawtyStatus.Active);
        }

        return View()!;
    }

    public async Task<ShawtyTokenView> TransferAsync(string caller, string recipient)
    {
        if (ShawtyRules.Decide(AssetId, View(), ShawtyAction.Transfer, caller, recipient) == ShawtyDecision.Apply)
        {
            // The recipient lists it first: until the owner changes, readers skip it there, so it is never lost in between.
            await GrainFactory.GetGrain<IFanShawty>(recipient).AddHeldAsync(AssetId);
            await ApplyAsync(ShawtyAction.Transfer, caller, recipient, () => state.State.Owner = recipient);
        }

        if (state.State.Owner == recipient)
        {
            await SettleTransferAsync(caller, recipient);
        }

        return View()!;
    }

    private async Task<ShawtyTokenView> SpendAsync(ShawtyAction action, string caller, string description)
    {
        if (ShawtyRules.Decide(AssetId, View(), action, caller, description) == ShawtyDecision.Apply)
        {
            await ApplyAsync(action, caller, description, () => state.State.Status = ShawtyRules.After(action, state.State.Status));
        }

        // Also on a retry: the history is idempotent, and this repairs a failure between the write and this call.
        var spent = state.State.Audit[^1];
        await GrainFactory.GetGrain<IFanShawty>(state.State.Owner!).RecordRedemptionAsync(new ShawtyRedemption(AssetId, spent.Type, spent.Description, spent.At));
        return View()!;
    }

    private async Task ApplyAsync(ShawtyAction action, string caller, string argument, Action change)
    {
        change();
        state.State.Audit.AddKeepingLatest(ShawtyRules.Entry(action, caller, argument, time.GetUtcNow()), ShawtyRules.AuditCapacity);

        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // The change is only in memory: drop this activation so the next call reads what was really stored.
            DeactivateOnIdle();
            throw;
        }
    }

    /// <summary>Every index in line with the new owner; each step is idempotent, so a retry repeats them all.</summary>
    private async Task SettleTransferAsync(string from, string to)
    {
        await GrainFactory.GetGrain<IFanShawty>(to).AddHeldAsync(AssetId);
        if (state.State.Minted is { } minted)
        {
            await GrainFactory.GetGrain<IFanNfts>(to).RecordAsync(minted with { OwnerWallet = to });
        }

        await GrainFactory.GetGrain<IFanNfts>(from).RemoveAsync(AssetId);
        await GrainFactory.GetGrain<IFanShawty>(from).RemoveHeldAsync(AssetId);
    }

    private async Task StoreIssueAsync(ShawtyIssue issue)
    {
        var unissued = state.State;
        state.State = new ShawtyTokenState
        {
            Owner = issue.Owner,
            Creator = issue.Creator,
            PurchaseTxId = issue.PurchaseTxId,
            AmountPaidMicroAlgo = issue.AmountPaidMicroAlgo,
            PurchasedAt = issue.PurchasedAt,
            Status = ShawtyStatus.Active,
            LedgerHolder = platform.Address.ToString(),
            Minted = issue.Minted,
        };
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State = unissued; // not stored: the next notice issues it again
            throw;
        }
    }

    private ShawtyTokenView? View() => state.State.Owner is { } owner
        ? new ShawtyTokenView(AssetId, owner, state.State.Creator, state.State.PurchaseTxId, state.State.AmountPaidMicroAlgo,
            state.State.PurchasedAt, state.State.Status, state.State.LedgerHolder, [.. state.State.Audit])
        : null;
}
