using System.Buffers.Binary;
using System.Text;
using FanForge.Grains.Algorand.Clients;
using FanForge.Grains.Chain;
using TipProxyKeys = FanForge.Grains.Chain.TipProxy.GlobalKeys;

namespace FanForge.Grains.Algorand.Simulation;

/// <summary>
/// Applications. The simulation runs no AVM: every application behaves as FanForge's TipProxy, the only program the
/// platform deploys, so its rules are written here in C# instead of being interpreted from the approval program.
/// <list type="bullet">
/// <item>Create: args [creator pk (32 B), platform pk (32 B), min tip (uint64 BE), version (uint64 BE)], a global
/// schema of at least 5 uints and 2 byte slices.</item>
/// <item>"tip" [memo]: the previous group member pays the app account from the same sender, at least the minimum,
/// while not paused. The payment stays in the app account (tips accumulate; the creator withdraws), because the
/// unchanged frontend's group lists no foreign accounts and a real network would refuse an inner payment to the
/// creator. Logs fan pk ‖ uint64 BE amount ‖ memo.</item>
/// <item>"withdraw" [uint64]: an inner payment to the creator stored at creation, sent by the creator or, on an app
/// running program version 2 or later (<see cref="SimulatedTipProxyPrograms.VersionOf"/>), by the platform
/// stored at creation, which must list the creator as a foreign account (the AVM's "unavailable Account" otherwise).</item>
/// <item>"pause", "unpause", "update_min_tip" [uint64], update and delete: the creator only.</item>
/// <item>Update: both new programs replace the old ones and, as the old approval program does, version + 1; the app
/// keeps its id, account and the rest of its state.</item>
/// </list>
/// </summary>
public sealed partial class SimulatedChain
{
    /// <summary>TipProxy's global schema: min_tip, paused, version, total_tips, total_amount; creator, platform.</summary>
    public static readonly StateSchema TipProxySchema = new(NumUints: 5, NumByteSlices: 2);

    private static void ApplyApplicationCall(LedgerDelta delta, IReadOnlyList<Transaction> group, int index, string txId, ApplyResult result)
    {
        var call = group[index];
        if (call.ApplicationId == 0)
        {
            CreateTipProxy(delta, call, txId, result);
            return;
        }

        var app = delta.App(call.ApplicationId);
        if (app is null || app.Deleted)
        {
            throw new LedgerRejection($"TransactionPool.Remember: transaction {txId}: logic eval error: application {call.ApplicationId} does not exist");
        }

        switch (call.OnCompletion)
        {
            case OnCompletion.OptIn or OnCompletion.CloseOut or OnCompletion.ClearState:
                // TipProxy keeps no local state, so these have nothing to do.
                return;
            case OnCompletion.UpdateApplication:
                Update(app, call, txId);
                return;
            case OnCompletion.DeleteApplication:
                RequireCreator(app, call, txId);
                // The app account keeps whatever it holds; the deployer gets its schema deposit back.
                app.Deleted = true;
                delta.Account(app.Deployer).CreatedApps.Remove(app.Id);
                return;
        }

        var method = call.ApplicationArgs.Count > 0 ? Encoding.ASCII.GetString(call.ApplicationArgs[0].Span) : "";
        switch (method)
        {
            case "tip":
                Tip(app, group, index, txId, result);
                break;
            case "withdraw":
                Withdraw(delta, app, group, index, txId, result);
                break;
            case "pause" or "unpause":
                RequireCreator(app, call, txId);
                RequireArgCount(call, 1, txId);
                app.Global[TipProxyKeys.Paused] = Uint(method == "pause" ? 1UL : 0UL);
                break;
            case "update_min_tip":
                RequireCreator(app, call, txId);
                app.Global[TipProxyKeys.MinTip] = Uint(UInt64Arg(call, txId));
                break;
            default:
                throw EvalError(txId, $"TipProxy has no method \"{method}\"");
        }
    }

    private static void CreateTipProxy(LedgerDelta delta, Transaction call, string txId, ApplyResult result)
    {
        var args = call.ApplicationArgs;
        if (args.Count != 4 || args[0].Length != 32 || args[1].Length != 32 || args[2].Length != 8 || args[3].Length != 8)
        {
            throw EvalError(txId, "TipProxy creation takes [creator (32 bytes), platform (32 bytes), min tip (uint64), version (uint64)]");
        }

        if (call.GlobalSchema.NumUints < TipProxySchema.NumUints || call.GlobalSchema.NumByteSlices < TipProxySchema.NumByteSlices)
        {
            throw EvalError(txId, $"store integer or byte slice count exceeds schema: TipProxy needs {TipProxySchema.NumUints} uints and {TipProxySchema.NumByteSlices} byte slices");
        }

        var app = new AppState
        {
            Id = delta.NewCreatableId(),
            Deployer = call.Sender,
            ApprovalProgram = call.ApprovalProgram.ToArray(),
            ClearStateProgram = call.ClearStateProgram.ToArray(),
        };
        app.Global[TipProxyKeys.Creator] = Bytes(args[0].ToArray());
        app.Global[TipProxyKeys.Platform] = Bytes(args[1].ToArray());
        app.Global[TipProxyKeys.MinTip] = Uint(BinaryPrimitives.ReadUInt64BigEndian(args[2].Span));
        app.Global[TipProxyKeys.Version] = Uint(BinaryPrimitives.ReadUInt64BigEndian(args[3].Span));
        app.Global[TipProxyKeys.Paused] = Uint(0);
        app.Global[TipProxyKeys.TotalTips] = Uint(0);
        app.Global[TipProxyKeys.TotalAmount] = Uint(0);
        delta.AddApp(app);
        delta.Account(call.Sender).CreatedApps[app.Id] = AccountState.AppCost(call.GlobalSchema);
        result.CreatedApplicationId = app.Id;
    }

    private static void Tip(AppState app, IReadOnlyList<Transaction> group, int index, string txId, ApplyResult result)
    {
        var call = group[index];
        if (call.ApplicationArgs.Count > 2)
        {
            throw EvalError(txId, "tip takes at most a memo");
        }

        if (GlobalUint(app, TipProxyKeys.Paused) != 0)
        {
            throw EvalError(txId, "assert failed: the tip jar is paused");
        }

        if (index == 0 || group[index - 1] is not { Type: TransactionType.Payment } payment)
        {
            throw EvalError(txId, "assert failed: a tip needs the payment to the app account as the previous group member");
        }

        if (payment.Receiver != app.Address)
        {
            throw EvalError(txId, $"assert failed: the tip payment goes to {payment.Receiver}, not the app account {app.Address}");
        }

        if (payment.Sender != call.Sender)
        {
            throw EvalError(txId, "assert failed: the tip payment and the app call have different senders");
        }

        var minTip = GlobalUint(app, TipProxyKeys.MinTip);
        if (payment.Amount < minTip)
        {
            throw EvalError(txId, $"assert failed: tip of {payment.Amount} µAlgo is below the minimum {minTip}");
        }

        var memo = call.ApplicationArgs.Count == 2 ? call.ApplicationArgs[1].Span : ReadOnlySpan<byte>.Empty;
        var log = new byte[32 + 8 + memo.Length];
        call.Sender.PublicKey.CopyTo(log, 0);
        BinaryPrimitives.WriteUInt64BigEndian(log.AsSpan(32), payment.Amount);
        memo.CopyTo(log.AsSpan(40));
        result.Logs.Add(log);
        app.Global[TipProxyKeys.TotalTips] = Uint(GlobalUint(app, TipProxyKeys.TotalTips) + 1);
        app.Global[TipProxyKeys.TotalAmount] = Uint(GlobalUint(app, TipProxyKeys.TotalAmount) + payment.Amount);
    }

    private static void Update(AppState app, Transaction call, string txId)
    {
        if (call.ApprovalProgram.IsEmpty || call.ClearStateProgram.IsEmpty)
        {
            // algod checks the new programs before the old one runs, and an empty program fails that check.
            throw new LedgerRejection($"TransactionPool.Remember: transaction {txId}: check failed: invalid program (empty): an update carries both programs");
        }

        RequireCreator(app, call, txId);
        app.ApprovalProgram = call.ApprovalProgram.ToArray();
        app.ClearStateProgram = call.ClearStateProgram.ToArray();
        app.Global[TipProxyKeys.Version] = Uint(GlobalUint(app, TipProxyKeys.Version) + 1);
    }

    private static void Withdraw(LedgerDelta delta, AppState app, IReadOnlyList<Transaction> group, int index, string txId, ApplyResult result)
    {
        var call = group[index];
        var amount = UInt64Arg(call, txId);
        var creator = AlgorandAddress.FromPublicKey(app.Global[TipProxyKeys.Creator].Bytes);
        if (call.Sender != creator)
        {
            var platform = AlgorandAddress.FromPublicKey(app.Global[TipProxyKeys.Platform].Bytes);
            if (call.Sender != platform || SimulatedTipProxyPrograms.VersionOf(app.ApprovalProgram) < TipProxy.PlatformWithdrawVersion)
            {
                throw EvalError(txId, $"assert failed: only the creator {creator} or the platform {platform} may withdraw (the platform from program version {TipProxy.PlatformWithdrawVersion}), not {call.Sender}");
            }

            // AVM resource availability: the receiver must be a sender or a foreign account somewhere in the group.
            if (!group.Any(member => member.Sender == creator || member.Accounts.Contains(creator)))
            {
                throw EvalError(txId, $"unavailable Account {creator}");
            }
        }

        var account = delta.Account(app.Address);
        if (account.Balance < amount || account.Balance - amount < account.MinBalance)
        {
            throw EvalError(txId, $"inner pay of {amount} would take the app account ({account.Balance} µAlgo) below its minimum balance {account.MinBalance}");
        }

        // Fee 0: the caller's outer fee covers it through pooling (CheckFees counts inner transactions).
        var payment = new Transaction
        {
            Type = TransactionType.Payment,
            Sender = app.Address,
            Receiver = creator,
            Amount = amount,
        };
        account.Balance -= amount;
        Credit(delta.Account(creator), amount);
        result.InnerTransactions.Add(payment);
    }

    private static AlgorandAddress RequireCreator(AppState app, Transaction call, string txId)
    {
        var creator = AlgorandAddress.FromPublicKey(app.Global[TipProxyKeys.Creator].Bytes);
        return call.Sender == creator ? creator : throw EvalError(txId, $"assert failed: only the creator {creator} may do this, not {call.Sender}");
    }

    private static void RequireArgCount(Transaction call, int count, string txId)
    {
        if (call.ApplicationArgs.Count != count)
        {
            throw EvalError(txId, $"expected {count} application args, got {call.ApplicationArgs.Count}");
        }
    }

    private static ulong UInt64Arg(Transaction call, string txId)
    {
        RequireArgCount(call, 2, txId);
        return call.ApplicationArgs[1].Length == 8
            ? BinaryPrimitives.ReadUInt64BigEndian(call.ApplicationArgs[1].Span)
            : throw EvalError(txId, "btoi: the amount argument must be an 8-byte big-endian uint64");
    }

    private static ulong GlobalUint(AppState app, string key) => app.Global.TryGetValue(key, out var value) ? value.Uint : 0;

    private static TealValue Uint(ulong value) => new(TealValueType.Uint, [], value);

    private static TealValue Bytes(byte[] value) => new(TealValueType.Bytes, value, 0);

    private static LedgerRejection EvalError(string txId, string detail) =>
        new($"TransactionPool.Remember: transaction {txId}: logic eval error: {detail}");
}
