namespace FanForge.Grains.Algorand.Simulation;

/// <summary>Payments and assets, following go-algorand's <c>ledger/apply</c> rules.</summary>
public sealed partial class SimulatedChain
{
    private static void ApplyPayment(LedgerDelta delta, Transaction payment, string txId)
    {
        var sender = delta.Account(payment.Sender);
        Debit(payment.Sender, sender, payment.Amount, txId);
        Credit(delta.Account(payment.Receiver), payment.Amount);
        if (payment.CloseRemainderTo.IsZero)
        {
            return;
        }

        if (sender.Holdings.Count > 0 || sender.CreatedApps.Count > 0 || sender.CreatedAssets.Count > 0)
        {
            throw new LedgerRejection(
                $"TransactionPool.Remember: transaction {txId}: cannot close account {payment.Sender}: it still holds assets or has created applications");
        }

        var remainder = sender.Balance;
        sender.Balance = 0;
        Credit(delta.Account(payment.CloseRemainderTo), remainder);
    }

    private static void Credit(AccountState account, ulong amount) => account.Balance = checked(account.Balance + amount);

    private static void ApplyAssetConfig(LedgerDelta delta, Transaction config, string txId, ApplyResult result)
    {
        if (config.ConfigAssetId == 0)
        {
            var parameters = config.AssetParams ?? new AssetParams();
            var id = delta.NewCreatableId();
            delta.SetAsset(id, new AssetState(id, config.Sender, parameters));
            var creator = delta.Account(config.Sender);
            creator.CreatedAssets.Add(id);
            // The creator holds every unit, unfrozen, whatever default-frozen says.
            creator.Holdings[id] = new Holding(parameters.Total, Frozen: false);
            result.CreatedAssetId = id;
            return;
        }

        var asset = RequireAsset(delta, config.ConfigAssetId, txId);
        if (asset.Params.Manager.IsZero || asset.Params.Manager != config.Sender)
        {
            throw new LedgerRejection($"TransactionPool.Remember: transaction {txId}: this transaction should be issued by the manager. It is issued by {config.Sender}, manager key {asset.Params.Manager}");
        }

        if (config.AssetParams is not { } changes)
        {
            var creator = delta.Account(asset.Creator);
            if (creator.Holdings.GetValueOrDefault(asset.Id).Amount != asset.Params.Total)
            {
                throw new LedgerRejection($"TransactionPool.Remember: transaction {txId}: cannot destroy asset: creator is holding only {creator.Holdings.GetValueOrDefault(asset.Id).Amount}/{asset.Params.Total}");
            }

            creator.Holdings.Remove(asset.Id);
            creator.CreatedAssets.Remove(asset.Id);
            delta.SetAsset(asset.Id, null);
            return;
        }

        // Only the four role addresses can change, and a role once cleared stays cleared.
        var current = asset.Params;
        delta.SetAsset(asset.Id, asset with
        {
            Params = current with
            {
                Manager = changes.Manager,
                Reserve = current.Reserve.IsZero ? current.Reserve : changes.Reserve,
                Freeze = current.Freeze.IsZero ? current.Freeze : changes.Freeze,
                Clawback = current.Clawback.IsZero ? current.Clawback : changes.Clawback,
            },
        });
    }

    private static void ApplyAssetFreeze(LedgerDelta delta, Transaction freeze, string txId)
    {
        var asset = RequireAsset(delta, freeze.FreezeAssetId, txId);
        if (asset.Params.Freeze.IsZero || asset.Params.Freeze != freeze.Sender)
        {
            throw new LedgerRejection($"TransactionPool.Remember: transaction {txId}: freeze not allowed: sender {freeze.Sender} != freeze {asset.Params.Freeze}");
        }

        var target = delta.Account(freeze.FreezeAccount);
        if (!target.Holdings.TryGetValue(asset.Id, out var holding))
        {
            throw new LedgerRejection($"TransactionPool.Remember: transaction {txId}: asset {asset.Id} missing from {freeze.FreezeAccount}");
        }

        target.Holdings[asset.Id] = holding with { Frozen = freeze.AssetFrozen };
    }

    private static void ApplyAssetTransfer(LedgerDelta delta, Transaction transfer, string txId)
    {
        var id = transfer.TransferAssetId;
        var isOptIn = transfer.Sender == transfer.AssetReceiver && transfer.AssetAmount == 0 && transfer.AssetSender.IsZero && transfer.AssetCloseTo.IsZero;
        var asset = delta.Asset(id);
        if (isOptIn)
        {
            if (asset is null)
            {
                throw AssetMissing(id, txId);
            }

            var account = delta.Account(transfer.Sender);
            if (!account.Holdings.ContainsKey(id))
            {
                account.Holdings[id] = new Holding(0, asset.Params.DefaultFrozen);
            }

            return;
        }

        var clawback = !transfer.AssetSender.IsZero;
        if (asset is null)
        {
            // Holders of a destroyed asset can still drop their (empty) holding.
            var holder = delta.Account(transfer.Sender);
            if (!clawback && !transfer.AssetCloseTo.IsZero && transfer.AssetAmount == 0 && holder.Holdings.Remove(id))
            {
                return;
            }

            throw AssetMissing(id, txId);
        }

        if (clawback && (asset.Params.Clawback.IsZero || asset.Params.Clawback != transfer.Sender))
        {
            throw new LedgerRejection($"TransactionPool.Remember: transaction {txId}: clawback not allowed: sender {transfer.Sender} != clawback {asset.Params.Clawback}");
        }

        // As in go-algorand, a zero amount moves nothing, so a close-out's zero transfer is not held up by freeze.
        if (transfer.AssetAmount > 0)
        {
            var source = clawback ? transfer.AssetSender : transfer.Sender;
            Move(delta, asset, source, transfer.AssetReceiver, transfer.AssetAmount, bypassFreeze: clawback, txId);
        }

        if (transfer.AssetCloseTo.IsZero)
        {
            return;
        }

        if (clawback)
        {
            throw new LedgerRejection($"TransactionPool.Remember: transaction {txId}: cannot close asset by clawback");
        }

        if (transfer.Sender == asset.Creator)
        {
            throw new LedgerRejection($"TransactionPool.Remember: transaction {txId}: cannot close asset ID in allocating account");
        }

        // Closing back to the creator is always allowed, even from a frozen (soulbound) holding.
        var toCreator = transfer.AssetCloseTo == asset.Creator;
        var rest = delta.Account(transfer.Sender).Holdings[asset.Id].Amount;
        Move(delta, asset, transfer.Sender, transfer.AssetCloseTo, rest, bypassFreeze: toCreator, txId);
        delta.Account(transfer.Sender).Holdings.Remove(asset.Id);
    }

    private static void Move(LedgerDelta delta, AssetState asset, AlgorandAddress from, AlgorandAddress to, ulong amount, bool bypassFreeze, string txId)
    {
        var source = delta.Account(from);
        if (!source.Holdings.TryGetValue(asset.Id, out var sourceHolding))
        {
            throw new LedgerRejection($"TransactionPool.Remember: transaction {txId}: asset {asset.Id} missing from {from}");
        }

        var target = delta.Account(to);
        if (!target.Holdings.TryGetValue(asset.Id, out var targetHolding))
        {
            throw new LedgerRejection($"TransactionPool.Remember: transaction {txId}: receiver error: must optin, asset {asset.Id} missing from {to}");
        }

        if (!bypassFreeze && sourceHolding.Frozen)
        {
            throw new LedgerRejection($"TransactionPool.Remember: transaction {txId}: asset {asset.Id} frozen in {from}");
        }

        if (!bypassFreeze && targetHolding.Frozen)
        {
            throw new LedgerRejection($"TransactionPool.Remember: transaction {txId}: asset {asset.Id} frozen in {to}");
        }

        if (sourceHolding.Amount < amount)
        {
            throw new LedgerRejection(
                $"TransactionPool.Remember: transaction {txId}: overspend (account {from}, asset {asset.Id}, holding {sourceHolding.Amount}, tried to spend {amount})");
        }

        if (from == to)
        {
            return;
        }

        source.Holdings[asset.Id] = sourceHolding with { Amount = sourceHolding.Amount - amount };
        target.Holdings[asset.Id] = targetHolding with { Amount = checked(targetHolding.Amount + amount) };
    }

    private static AssetState RequireAsset(LedgerDelta delta, ulong id, string txId) => delta.Asset(id) ?? throw AssetMissing(id, txId);

    private static LedgerRejection AssetMissing(ulong id, string txId) =>
        new($"TransactionPool.Remember: transaction {txId}: asset {id} does not exist or has been deleted");
}
