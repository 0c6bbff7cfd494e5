using FanForge.Grains.Algorand;
using FanForge.Grains.Algorand.Clients;
using FanForge.Grains.Chain;
using FanForge.GrainInterfaces.Chain;
using FanForge.GrainInterfaces.Errors;
using FanForge.GrainInterfaces.Loyalty;
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

    /// <summary>The holder's holding is frozen (a claimed token locked for a discount).</summary>
    [Id(9)] public bool LedgerFrozen { get; set; }

    /// <summary>A write of a claimed token decided and signed but not yet confirmed on the chain; finished before any other.</summary>
    [Id(10)] public ShawtyChainOp? PendingOp { get; set; }

    /// <summary>The last holder's transfer the chain follower delivered: at or before it, a transfer is a redelivery.</summary>
    [Id(11)] public ChainPosition ChainHighWater { get; set; }
}

/// <summary>
/// A write of a claimed token on its way to the chain: what was decided (action, caller, argument) and, except for a
/// claim (whose transfer its delivery grain stores), the signed transaction or group, stored before it is first sent.
/// </summary>
[GenerateSerializer, Immutable, Alias("ff.ShawtyChainOp")]
public sealed record ShawtyChainOp(
    [property: Id(0)] ShawtyAction Action,
    [property: Id(1)] string Caller,
    [property: Id(2)] string Argument,
    [property: Id(3)] byte[]? Signed);

/// <summary>
/// Key: ASA asset id. A thin state machine over <see cref="ShawtyRules"/>. It is the only place the owner lives; the
/// fans' indices (<see cref="IFanShawty"/>, <see cref="IFanNfts"/>) follow it, and the index calls it makes after its
/// own write are repeated by a retry of the same request, so a failure halfway is finished by the caller's retry.
/// Calls go one way only, from the token to the fans' indices, its delivery grain and the claimed-token directory,
/// never back: so none of them needs to interleave, and every write here runs alone in its turn.
/// <para>
/// In custody a write is one state change. Once claimed, the chain goes first: the decided write is stored with its
/// signed transaction (<see cref="ShawtyChainOp"/>), sent, and applied when confirmed; until then every other call
/// finishes it first, and a reminder does if nobody calls. Lock is an atomic group [clawback of the unit from the
/// holder to itself, freeze of the holding]: the clawback moves nothing but fails if the holder no longer has the unit,
/// so a lock can never freeze an empty holding the token has already left. Burn is an atomic group [clawback to the
/// platform, destroy]: the ASA (total 1) ceases to exist, so a burned token can never circulate again and the
/// platform's minimum balance for it is released.
/// </para>
/// </summary>
[GrainType("ff.shawty-token")]
public sealed class ShawtyTokenGrain(
    [PersistentState("shawty-token", StorageNames.Default)] IPersistentState<ShawtyTokenState> state,
    PlatformAccount platform,
    IAlgodClient algod,
    TimeProvider time) : Grain, IShawtyToken, IRemindable
{
    private const string ChainOpReminder = "shawty-chain-op";

    private ReminderSlot? chainOpReminder;

    private ulong AssetId => (ulong)this.GetPrimaryKeyLong();

    private bool InWallet => state.State.Owner is not null && state.State.LedgerHolder != platform.Address.ToString();

    private ReminderSlot ChainOpSlot => chainOpReminder ??= new(this, ChainOpReminder);

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
        await ResumeAsync();
        if (ShawtyRules.Decide(AssetId, View(), ShawtyAction.ReleaseLock, caller, lockDescription) == ShawtyDecision.Apply)
        {
            await ChangeAsync(ShawtyAction.ReleaseLock, caller, lockDescription);
        }

        return View()!;
    }

    public async Task<NftRecord> ClaimAsync(string fan)
    {
        await ResumeAsync();
        var delivery = GrainFactory.GetGrain<INftDelivery>((long)AssetId);
        if (ShawtyRules.Decide(AssetId, View(), ShawtyAction.Claim, fan, fan) == ShawtyDecision.Replay)
        {
            return await delivery.DeliverTokenAsync(fan);
        }

        // Registered before the transfer is signed: the follower knows the token from a round its holder cannot precede.
        var round = (await algod.GetStatusAsync()).LastRound;
        await GrainFactory.GetGrain<IClaimedTokens>(IClaimedTokens.Key).RegisterAsync(new ClaimedToken(AssetId, state.State.Creator, round));
        await StartChainOpAsync(new ShawtyChainOp(ShawtyAction.Claim, fan, fan, Signed: null));
        return await delivery.DeliverTokenAsync(fan);
    }

    public async Task ObserveTransferAsync(ShawtyChainTransfer transfer)
    {
        if (state.State.Owner is null)
        {
            return; // never issued here: nothing to move
        }

        // A claim confirmed on the chain but not yet recorded here is recorded first, so its holder is known.
        await ResumeAsync();
        if (transfer.Position <= state.State.ChainHighWater)
        {
            if (state.State.Owner == transfer.To)
            {
                await SettleTransferAsync(transfer.From, transfer.To); // a redelivery finishes what a failure left undone
            }

            return;
        }

        if (InWallet && state.State.LedgerHolder == transfer.From)
        {
            // The recipient lists it first: until the owner changes, readers skip it there, so it is never lost in between.
            await GrainFactory.GetGrain<IFanShawty>(transfer.To).AddHeldAsync(AssetId);
            await ApplyAsync(ShawtyAction.Transfer, transfer.From, transfer.To, () =>
            {
                state.State.Owner = transfer.To;
                state.State.LedgerHolder = transfer.To;
                state.State.ChainHighWater = transfer.Position;
            });
            await SettleTransferAsync(transfer.From, transfer.To);
            return;
        }

        // Not from the holder recorded here (nothing the chain allows once claimed): kept out of the owner, never re-read.
        state.State.ChainHighWater = transfer.Position;
        await state.WriteStateAsync();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (state.State.PendingOp is null)
        {
            await ChainOpSlot.DisarmAsync();
            return;
        }

        await ResumeAsync();
    }

    public async Task<ShawtyTokenView> TransferAsync(string caller, string recipient)
    {
        await ResumeAsync();
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
        await ResumeAsync();
        if (ShawtyRules.Decide(AssetId, View(), action, caller, description) == ShawtyDecision.Apply)
        {
            await ChangeAsync(action, caller, description);
        }

        // Also on a retry: the history is idempotent, and this repairs a failure between the write and this call.
        var spent = state.State.Audit[^1];
        await GrainFactory.GetGrain<IFanShawty>(state.State.Owner!).RecordRedemptionAsync(new ShawtyRedemption(AssetId, spent.Type, spent.Description, spent.At));
        return View()!;
    }

    /// <summary>A decided lock, unlock or burn: in custody at once; in a wallet on the chain first.</summary>
    private async Task ChangeAsync(ShawtyAction action, string caller, string argument)
    {
        if (!InWallet)
        {
            await ApplyAsync(action, caller, argument, () => Transition(action, caller));
            return;
        }

        var holder = state.State.LedgerHolder;
        try
        {
            await StartChainOpAsync(new ShawtyChainOp(action, caller, argument, await SignChainOpAsync(action, AlgorandAddress.Parse(holder))));
        }
        catch (DomainException) when (state.State.PendingOp is null && action != ShawtyAction.ReleaseLock)
        {
            if (await HoldsAsync(holder))
            {
                throw;
            }

            // The group's clawback failed for want of the unit: the holder moved it on the chain, and the follower will
            // say to whom. Nothing was changed here.
            throw DomainException.Conflict(ShawtyErrors.Transferred, $"Token ASA {AssetId} was moved out of {holder[..8]}... on the chain", new { asset_id = AssetId });
        }
    }

    /// <summary>Stores the operation (and arms the reminder that finishes it), then finishes it.</summary>
    private async Task StartChainOpAsync(ShawtyChainOp op)
    {
        await ChainOpSlot.ArmAsync(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        state.State.PendingOp = op;
        await state.WriteStateAsync();
        await FinishChainOpAsync(op);
    }

    /// <summary>Finishes an operation a failure or a crash left pending, before anything else is decided.</summary>
    private async Task ResumeAsync()
    {
        if (state.State.PendingOp is { } op)
        {
            await FinishChainOpAsync(op);
        }
    }

    /// <summary>
    /// Sends the stored operation (again: a landed one is only confirmed) and applies it. One that can never land is
    /// dropped (the error goes to the caller) and nothing changes; a transient failure leaves it for the next call or the
    /// reminder.
    /// </summary>
    private async Task FinishChainOpAsync(ShawtyChainOp op)
    {
        if (op.Action == ShawtyAction.Claim)
        {
            try
            {
                await GrainFactory.GetGrain<INftDelivery>((long)AssetId).DeliverTokenAsync(op.Caller);
            }
            catch (DomainException e) when (e.Kind is DomainErrorKind.Validation or DomainErrorKind.NotFound)
            {
                await DropChainOpAsync(); // refused before anything was signed (not opted in): no claim is under way
                throw;
            }
        }
        else
        {
            await PlatformTransactions.SubmitOnceAsync(algod, op.Signed!, DropChainOpAsync, CancellationToken.None);
        }

        await ApplyAsync(op.Action, op.Caller, op.Argument, () => Transition(op.Action, op.Caller));
        await ChainOpSlot.DisarmAsync();
    }

    private async Task DropChainOpAsync()
    {
        state.State.PendingOp = null;
        await state.WriteStateAsync();
        await ChainOpSlot.DisarmAsync();
    }

    /// <summary>The state after an applied write; a claimed token's chain operation is settled by it.</summary>
    private void Transition(ShawtyAction action, string caller)
    {
        var s = state.State;
        var onChain = s.PendingOp is not null;
        s.PendingOp = null;
        s.Status = ShawtyRules.After(action, s.Status);
        switch (action)
        {
            case ShawtyAction.Claim:
                (s.LedgerHolder, s.LedgerFrozen) = (caller, false);
                break;
            case ShawtyAction.Lock when onChain:
                s.LedgerFrozen = true;
                break;
            case ShawtyAction.ReleaseLock when onChain:
                s.LedgerFrozen = false;
                break;
            case ShawtyAction.Burn or ShawtyAction.SettleLock when onChain:
                (s.LedgerHolder, s.LedgerFrozen) = (platform.Address.ToString(), false);
                break;
        }
    }

    /// <summary>The platform's transaction, or atomic group, that makes <paramref name="action"/> on the holder's holding.</summary>
    private async Task<byte[]> SignChainOpAsync(ShawtyAction action, AlgorandAddress holder)
    {
        var chain = await algod.GetTransactionParamsAsync();
        Transaction Platform(TransactionType type) => PlatformTransactions.FromParams(chain, type, platform.Address);
        var clawback = Platform(TransactionType.AssetTransfer) with { TransferAssetId = AssetId, AssetAmount = 1, AssetSender = holder };
        var freeze = Platform(TransactionType.AssetFreeze) with { FreezeAssetId = AssetId, FreezeAccount = holder };
        Transaction[] members = action switch
        {
            ShawtyAction.Lock => [clawback with { AssetReceiver = holder }, freeze with { AssetFrozen = true }],
            ShawtyAction.ReleaseLock => [freeze],
            ShawtyAction.Burn or ShawtyAction.SettleLock => [clawback with { AssetReceiver = platform.Address }, Platform(TransactionType.AssetConfig) with { ConfigAssetId = AssetId }],
            _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Not a write made on the chain"),
        };
        members = [.. members.Select(member => member.WithFlatFee(chain))];
        return members.Length == 1
            ? SignedTransaction.Sign(members[0], platform.Signer).Encode()
            : PlatformTransactions.SignGroup(members, platform.Signer);
    }

    private async Task<bool> HoldsAsync(string holder) =>
        await algod.GetAccountAssetAsync(AlgorandAddress.Parse(holder), AssetId) is { Amount: > 0 };

    private async Task ApplyAsync(ShawtyAction action, string caller, string argument, Action change)
    {
        change();
        state.State.Audit.AddKeepingLatest(ShawtyRules.Entry(action, caller, argument, time.GetUtcNow()), ShawtyRules.AuditCapacity);

        await state.WriteStateAsync();
    }

    /// <summary>Every index in line with the new owner; each step is idempotent, so a retry repeats them all.</summary>
    private async Task SettleTransferAsync(string from, string to)
    {
        await GrainFactory.GetGrain<IFanShawty>(to).AddHeldAsync(AssetId);
        if (state.State.Minted is { } minted)
        {
            // Moved on the chain it is in the new owner's wallet; in custody it waits for their claim.
            await GrainFactory.GetGrain<IFanNfts>(to).RecordAsync(minted with
            {
                OwnerWallet = to,
                DeliveryStatus = InWallet ? DeliveryStatus.Delivered : minted.DeliveryStatus,
            });
        }

        await GrainFactory.GetGrain<IFanNfts>(from).RemoveAsync(AssetId);
        await GrainFactory.GetGrain<IFanShawty>(from).RemoveHeldAsync(AssetId);
    }

    private async Task StoreIssueAsync(ShawtyIssue issue)
    {
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
        await state.WriteStateAsync(); // if this fails, the activation is dropped and the next notice issues it again
    }

    private ShawtyTokenView? View() => state.State.Owner is { } owner
        ? new ShawtyTokenView(AssetId, owner, state.State.Creator, state.State.PurchaseTxId, state.State.AmountPaidMicroAlgo,
            state.State.PurchasedAt, state.State.Status, state.State.LedgerHolder, [.. state.State.Audit], InWallet, state.State.LedgerFrozen)
        : null;
}
