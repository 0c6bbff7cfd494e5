using System.Globalization;
using System.Text;
using FanForge.Grains.Algorand.Clients;

namespace FanForge.Grains.Algorand.Simulation;

/// <summary>
/// What algod's GET endpoints and the indexer answer, as the client records. Byte arrays are copied out so a caller
/// (the records cross grain calls as immutable) can never reach into the ledger.
/// </summary>
public sealed partial class SimulatedChain
{
    /// <summary>The indexer's default and maximum page sizes.</summary>
    public const int DefaultSearchLimit = 1000;

    public const int MaxSearchLimit = 10_000;

    public TransactionParams GetParams()
    {
        Seal();
        return new("simulated-fanforge", FeePerByte: 0, genesisHash.ToArray(), options.GenesisId, LastRound, options.MinFee);
    }

    public NodeStatus GetStatus()
    {
        Seal();
        return new(LastRound, time.GetUtcNow() - lastRoundTime, TimeSpan.Zero);
    }

    /// <summary>Null for a txid never confirmed here: a rejected submit never entered the pool, as on algod.</summary>
    public PendingTransaction? GetPending(string txId) =>
        Sealed() && confirmed.TryGetValue(txId, out var record)
            ? new PendingTransaction(
                "", record.Round, record.CreatedAssetId, record.CreatedApplicationId, CopyAll(record.Logs),
                record.InnerTransactions.Select(inner => new PendingTransaction("", record.Round, null, null, Array.Empty<byte[]>(), Array.Empty<PendingTransaction>())).ToArray())
            : null;

    public ulong Balance(AlgorandAddress address) => ledger.Accounts.TryGetValue(address, out var account) ? account.Balance : 0;

    /// <summary>An account never seen comes back empty, as algod answers.</summary>
    public AccountInformation GetAccount(AlgorandAddress address)
    {
        var account = ledger.Accounts.GetValueOrDefault(address) ?? new AccountState();
        return new AccountInformation(
            address.ToString(),
            account.Balance,
            account.IsEmpty ? 0 : account.MinBalance,
            account.Holdings.Select(pair => new AssetHolding(pair.Key, pair.Value.Amount, pair.Value.Frozen)).ToArray(),
            AuthAddress: null,
            LastRound);
    }

    public AssetHolding? GetAccountAsset(AlgorandAddress address, ulong assetId) =>
        ledger.Accounts.TryGetValue(address, out var account) && account.Holdings.TryGetValue(assetId, out var holding)
            ? new AssetHolding(assetId, holding.Amount, holding.Frozen)
            : null;

    public AssetInfo? GetAsset(ulong assetId)
    {
        if (!ledger.Assets.TryGetValue(assetId, out var asset))
        {
            return null;
        }

        var parameters = asset.Params;
        return new AssetInfo(asset.Id, new AssetInfoParams
        {
            Creator = asset.Creator.ToString(),
            Total = parameters.Total,
            Decimals = parameters.Decimals,
            DefaultFrozen = parameters.DefaultFrozen,
            UnitName = NullIfEmpty(parameters.UnitName),
            Name = NullIfEmpty(parameters.AssetName),
            Url = NullIfEmpty(parameters.Url),
            MetadataHash = parameters.MetadataHash.IsEmpty ? null : parameters.MetadataHash.ToArray(),
            Manager = RoleAddress(parameters.Manager),
            Reserve = RoleAddress(parameters.Reserve),
            Freeze = RoleAddress(parameters.Freeze),
            Clawback = RoleAddress(parameters.Clawback),
        });
    }

    public ApplicationInfo? GetApplication(ulong applicationId) =>
        ledger.Apps.TryGetValue(applicationId, out var app) && !app.Deleted
            ? new ApplicationInfo(
                app.Id,
                app.Deployer.ToString(),
                app.Global.Select(pair => new GlobalStateEntry(Encoding.ASCII.GetBytes(pair.Key), pair.Value with { Bytes = pair.Value.Bytes.ToArray() })).ToArray(),
                app.ApprovalProgram.ToArray(),
                app.ClearStateProgram.ToArray())
            : null;

    /// <summary>
    /// GET /v2/transactions?application-id=&amp;tx-type=appl&amp;min-round=: calls to the app (creation included, any
    /// on-completion) from <paramref name="minRound"/> inclusive, ordered by (round, intra). The token is opaque to
    /// callers; a page after the last row is empty.
    /// </summary>
    /// <exception cref="ArgumentException">The token is not one this ledger issued (the indexer answers 400).</exception>
    public IndexerTransactionPage SearchApplicationCalls(ulong applicationId, ulong minRound, string? next, int limit)
    {
        Seal();
        var after = next is null ? ((ulong Round, ulong Intra)?)null : ParseToken(next);
        var rows = callsByApp.GetValueOrDefault(applicationId) ?? [];
        var page = rows
            .Where(row => row.Round >= minRound)
            .Where(row => after is not { } position || (row.Round, row.IntraRoundOffset).CompareTo(position) > 0)
            .Take(PageSize(limit))
            .ToArray();
        return Page(page);
    }

    /// <summary>
    /// GET /v2/transactions?min-round=&amp;max-round=: every transaction confirmed in rounds
    /// <paramref name="minRound"/> to <paramref name="maxRound"/> (both inclusive), of any type, ordered by (round,
    /// intra), with the token scheme of <see cref="SearchApplicationCalls"/>.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The token is not one this ledger issued, or <paramref name="minRound"/> is above <paramref name="maxRound"/>
    /// (the indexer answers 400 to both).
    /// </exception>
    public IndexerTransactionPage SearchRounds(ulong minRound, ulong maxRound, string? next, int limit)
    {
        Seal();
        if (minRound > maxRound)
        {
            throw new ArgumentException("min-round must be less than max-round", nameof(minRound));
        }

        var after = next is null ? ((ulong Round, ulong Intra)?)null : ParseToken(next);
        var start = FirstIndexWhereNot(row => row.Round < minRound);
        if (after is { } position)
        {
            start = Math.Max(start, FirstIndexWhereNot(row => (row.Round, row.IntraRoundOffset).CompareTo(position) <= 0));
        }

        var end = Math.Min(FirstIndexWhereNot(row => row.Round <= maxRound), start + PageSize(limit));
        return Page(end > start ? history.GetRange(start, end - start).ToArray() : []);
    }

    /// <summary>GET /v2/transactions/{txid} of the indexer.</summary>
    public IndexerTransaction? LookupTransaction(string txId) => Sealed() && confirmed.TryGetValue(txId, out var record) ? ToIndexer(record) : null;

    /// <summary>Seals the open round for a read used inside an expression; always true.</summary>
    private bool Sealed()
    {
        Seal();
        return true;
    }

    private static int PageSize(int limit) => limit <= 0 ? DefaultSearchLimit : Math.Min(limit, MaxSearchLimit);

    /// <summary>A page as the indexer answers it: the token points after its last row, and an empty page has none.</summary>
    private IndexerTransactionPage Page(ConfirmedTransaction[] rows)
    {
        var token = rows.Length == 0 ? null : Token(rows[^1].Round, rows[^1].IntraRoundOffset);
        return new IndexerTransactionPage(LastRound, token, rows.Select(ToIndexer).ToArray());
    }

    /// <summary>
    /// Binary search over <see cref="history"/>: the first index whose row fails <paramref name="before"/>, which
    /// must hold for a prefix of the (round, intra)-ordered rows and fail for the rest.
    /// </summary>
    private int FirstIndexWhereNot(Func<ConfirmedTransaction, bool> before)
    {
        var (low, high) = (0, history.Count);
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (before(history[middle]))
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    private static string Token(ulong round, ulong intra) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{round}:{intra}")));

    private static (ulong Round, ulong Intra) ParseToken(string token)
    {
        try
        {
            var parts = Encoding.ASCII.GetString(Convert.FromBase64String(token)).Split(':');
            if (parts.Length == 2
                && ulong.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var round)
                && ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var intra))
            {
                return (round, intra);
            }
        }
        catch (FormatException)
        {
            // Reported below like any other token this ledger did not issue.
        }

        throw new ArgumentException($"invalid next token: {token}", nameof(token));
    }

    private static IndexerTransaction ToIndexer(ConfirmedTransaction record) =>
        ToIndexer(record.Transaction) with
        {
            Id = record.TxId,
            ConfirmedRound = record.Round,
            IntraRoundOffset = record.IntraRoundOffset,
            RoundTime = record.RoundTime,
            CreatedApplicationId = record.CreatedApplicationId,
            Logs = CopyAll(record.Logs),
            InnerTransactions = record.InnerTransactions.Select(ToIndexer).ToArray(),
        };

    private static IndexerTransaction ToIndexer(Transaction transaction)
    {
        var isApp = transaction.Type == TransactionType.ApplicationCall;
        var isPayment = transaction.Type == TransactionType.Payment;
        var isTransfer = transaction.Type == TransactionType.AssetTransfer;
        // A node takes a program only from a create (app id 0) or an update, so only those show one in the indexer.
        var installsProgram = isApp && (transaction.ApplicationId == 0 || transaction.OnCompletion == OnCompletion.UpdateApplication);
        return new IndexerTransaction
        {
            TxType = TypeName(transaction.Type),
            Sender = transaction.Sender.ToString(),
            Fee = transaction.Fee,
            Group = transaction.HasGroup ? transaction.Group.ToArray() : null,
            Note = transaction.Note.IsEmpty ? null : transaction.Note.ToArray(),
            ApplicationId = isApp ? transaction.ApplicationId : null,
            OnCompletion = isApp ? OnCompletionName(transaction.OnCompletion) : null,
            ApplicationArgs = transaction.ApplicationArgs.Select(arg => arg.ToArray()).ToArray(),
            PaymentAmount = isPayment ? transaction.Amount : null,
            PaymentReceiver = isPayment ? transaction.Receiver.ToString() : null,
            ApprovalProgram = installsProgram ? transaction.ApprovalProgram.ToArray() : null,
            AssetId = isTransfer ? transaction.TransferAssetId : null,
            AssetAmount = isTransfer ? transaction.AssetAmount : null,
            AssetReceiver = isTransfer ? transaction.AssetReceiver.ToString() : null,
            AssetClawbackFrom = isTransfer ? RoleAddress(transaction.AssetSender) : null,
            AssetCloseTo = isTransfer ? RoleAddress(transaction.AssetCloseTo) : null,
        };
    }

    private static string TypeName(TransactionType type) => type switch
    {
        TransactionType.Payment => "pay",
        TransactionType.AssetTransfer => "axfer",
        TransactionType.AssetFreeze => "afrz",
        TransactionType.AssetConfig => "acfg",
        _ => "appl",
    };

    private static string OnCompletionName(OnCompletion onCompletion) => onCompletion switch
    {
        OnCompletion.OptIn => "optin",
        OnCompletion.CloseOut => "closeout",
        OnCompletion.ClearState => "clear",
        OnCompletion.UpdateApplication => "update",
        OnCompletion.DeleteApplication => "delete",
        _ => "noop",
    };

    private static byte[][] CopyAll(IEnumerable<byte[]> items) => items.Select(item => item.ToArray()).ToArray();

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;

    private static string? RoleAddress(AlgorandAddress address) => address.IsZero ? null : address.ToString();
}
