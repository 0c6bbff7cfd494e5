namespace FanForge.Grains.Algorand.Simulation;

/// <summary>
/// An in-memory Algorand ledger that answers like algod and the indexer, for development and tests.
/// It checks what a node checks (encoding, signatures, groups, genesis, validity window, fees, duplicates, balances)
/// and applies pay, asset and application transactions atomically per group.
/// <para>
/// Rounds: accepted groups gather in an open round, which is sealed by the next read (params, status, pending,
/// indexer…). So a round, like a real block, appears whole or not at all to the watcher, and a burst of submissions
/// shares rounds instead of racing the chain past every validity window (one round per group would let 1,000
/// submissions expire a transaction built a second earlier, where TestNet needs 45 minutes).
/// </para>
/// <para>
/// Programs are not executed. The only program FanForge deploys is TipProxy, so every application behaves as TipProxy
/// does (see <c>SimulatedChain.TipProxy.cs</c>) whatever approval program it was created with.
/// </para>
/// Not thread-safe: the owning grain serializes calls.
/// </summary>
public sealed partial class SimulatedChain
{
    /// <summary>algod's MaxTxnLife: lv − fv may not exceed it.</summary>
    public const ulong MaxTxnLife = 1000;

    /// <summary>Without the per-byte surcharge newer protocols allow, a note holds at most 1024 bytes.</summary>
    public const int MaxNoteLength = 1024;

    private readonly SimulatedChainOptions options;
    private readonly TimeProvider time;
    private readonly byte[] genesisHash;
    private readonly Ledger ledger = new();
    private readonly Dictionary<string, ConfirmedTransaction> confirmed = new(StringComparer.Ordinal);
    private readonly Dictionary<ulong, List<ConfirmedTransaction>> callsByApp = [];

    /// <summary>
    /// Every confirmed transaction in commit order, which is (round, intra-round offset) order: rounds only move
    /// forward and offsets count up within one. So a round range is found by binary search, not by a scan.
    /// </summary>
    private readonly List<ConfirmedTransaction> history = [];

    private DateTimeOffset lastRoundTime;
    private ulong sealedRound;

    /// <summary>The round accepting groups now, and the next intra-round offset in it; null when none is open.</summary>
    private ulong? openRound;
    private ulong nextOffset;

    public SimulatedChain(SimulatedChainOptions options, TimeProvider time)
        : this(options, time, (time ?? throw new ArgumentNullException(nameof(time))).GetUtcNow())
    {
    }

    /// <summary>A chain created at <paramref name="genesisTime"/>: a replayed chain keeps the time it was first created.</summary>
    public SimulatedChain(SimulatedChainOptions options, TimeProvider time, DateTimeOffset genesisTime)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        this.options = options;
        this.time = time;
        genesisHash = Convert.FromBase64String(options.GenesisHash);
        if (genesisHash.Length != 32)
        {
            throw new ArgumentException("The genesis hash must be 32 bytes.", nameof(options));
        }

        sealedRound = options.InitialRound;
        GenesisTime = genesisTime;
        lastRoundTime = genesisTime;
        ledger.Accounts[options.Platform] = new AccountState { Balance = options.PlatformInitialMicroAlgo };
    }

    /// <summary>The last sealed round; reading it seals the open one, like every other read.</summary>
    public ulong LastRound
    {
        get
        {
            Seal();
            return sealedRound;
        }
    }

    public string GenesisId => options.GenesisId;

    public ReadOnlyMemory<byte> GenesisHash => genesisHash;

    public AlgorandAddress Platform => options.Platform;

    public DateTimeOffset GenesisTime { get; }

    /// <summary>
    /// The change the last accepted <see cref="Submit"/>, <see cref="Fund"/> or <see cref="AdvanceRounds"/> made, as
    /// the entry that replays it (<see cref="Replay"/>); null before the first. A refused submission leaves it as it was.
    /// </summary>
    public LedgerEntry? LastAccepted { get; private set; }

    /// <summary>
    /// POST /v2/transactions: 1 to 16 concatenated signed transactions forming one group. Ledger rejections come back
    /// as a 400 result with algod's wording, never as exceptions.
    /// </summary>
    public SubmitResult Submit(ReadOnlySpan<byte> body) => SubmitCore(body, recorded: null);

    /// <summary>
    /// Applies an entry <see cref="LastAccepted"/> gave, in the order they were given, to a chain created with the same
    /// options and genesis time: it lands in the recorded round, at the recorded offset and time, so the replayed chain
    /// has the rounds, txids, ids and balances of the original. The clock is not read.
    /// </summary>
    /// <exception cref="InvalidOperationException">The entry does not apply as it did (a log from another chain or out of order).</exception>
    public void Replay(LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var result = entry.Kind switch
        {
            LedgerEntryKind.Submit => SubmitCore(entry.Signed ?? [], entry),
            LedgerEntryKind.Fund => FundCore(AlgorandAddress.Parse(entry.Receiver ?? ""), entry.Amount, entry),
            LedgerEntryKind.AdvanceRounds => AdvanceRoundsCore(entry.Amount, entry),
            _ => SubmitResult.Rejected($"unknown entry kind {entry.Kind}"),
        };
        if (!result.IsAccepted || LastAccepted is not { } replayed || replayed.TxId != entry.TxId || replayed.Round != entry.Round || replayed.Offset != entry.Offset)
        {
            throw new InvalidOperationException(
                $"The simulated ledger's log does not replay: {entry.Kind} {entry.TxId} recorded in round {entry.Round} at offset {entry.Offset} " +
                $"replayed as {(result.IsAccepted ? $"{LastAccepted?.TxId} in round {LastAccepted?.Round} at offset {LastAccepted?.Offset}" : result.Message)}.");
        }
    }

    private SubmitResult SubmitCore(ReadOnlySpan<byte> body, LedgerEntry? recorded)
    {
        IReadOnlyList<SignedTransaction> signed;
        try
        {
            signed = SignedTransaction.DecodeConcatenated(body);
        }
        catch (AlgorandEncodingException refused)
        {
            return SubmitResult.Rejected($"msgpack decode error: {refused.Message}");
        }

        try
        {
            TransactionGroup.Validate(signed);
        }
        catch (AlgorandEncodingException refused)
        {
            return SubmitResult.Rejected($"TransactionPool.Remember: transactionGroup: incomplete group: {refused.Message}");
        }

        try
        {
            var transactions = signed.Select(member => member.Transaction).ToArray();
            var txIds = signed.Select(member => member.TxId).ToArray();
            if (signed.Any(member => !member.VerifySignature()))
            {
                throw new LedgerRejection("At least one signature didn't pass verification");
            }

            for (var index = 0; index < transactions.Length; index++)
            {
                CheckWellFormed(transactions[index], txIds[index]);
            }

            if (txIds.GroupBy(txId => txId).FirstOrDefault(same => same.Count() > 1) is { } repeated)
            {
                // Not "already in ledger": that wording tells callers their earlier submit landed, which it did not.
                throw new LedgerRejection($"TransactionPool.Remember: transaction {repeated.Key} appears more than once in the group");
            }

            if (txIds.FirstOrDefault(confirmed.ContainsKey) is { } duplicate)
            {
                throw new LedgerRejection($"TransactionPool.Remember: transaction already in ledger: {duplicate}");
            }

            // A wallet that read TestNet's params builds fv ≈ 50,000,000: the chain jumps there rather than calling it early.
            // A replay takes the round it landed in: reads sealed rounds in between, and those are not recorded.
            var round = recorded?.Round ?? RoundFor(transactions.Max(transaction => transaction.FirstValid));
            foreach (var transaction in transactions)
            {
                if (round < transaction.FirstValid || round > transaction.LastValid)
                {
                    throw new LedgerRejection($"TransactionPool.Remember: txn dead: round {round} outside of {transaction.FirstValid}--{transaction.LastValid}");
                }
            }

            CheckFees(transactions, innerCount: 0);
            var delta = new LedgerDelta(ledger);
            var results = new ApplyResult[transactions.Length];
            for (var index = 0; index < transactions.Length; index++)
            {
                results[index] = Apply(delta, transactions, index, txIds[index]);
            }

            // Inner transactions are known only after the apps ran; the outer fees must cover them too.
            CheckFees(transactions, results.Sum(result => result.InnerTransactions.Count));
            var now = recorded?.Time ?? time.GetUtcNow();
            var offset = Commit(delta, round, transactions, txIds, results, now);
            LastAccepted = LedgerEntry.Submitted(body.ToArray(), txIds[0], round, offset, now);
            return SubmitResult.Accepted(txIds[0]);
        }
        catch (LedgerRejection rejection)
        {
            return SubmitResult.Rejected(rejection.Message);
        }
        catch (OverflowException)
        {
            // Only absurd amounts get here (a balance or holding past 2^64); still the sender's fault, not the node's.
            return SubmitResult.Rejected("TransactionPool.Remember: arithmetic overflow applying the group");
        }
    }

    /// <summary>
    /// Development faucet: a payment from the platform account, confirmed in its own round so it shows up in the
    /// account history like a real transfer. Its fee is the platform's.
    /// </summary>
    public SubmitResult Fund(AlgorandAddress receiver, ulong microAlgo) => FundCore(receiver, microAlgo, recorded: null);

    private SubmitResult FundCore(AlgorandAddress receiver, ulong microAlgo, LedgerEntry? recorded)
    {
        var round = recorded?.Round ?? RoundFor(sealedRound + 1);
        var payment = new Transaction
        {
            Type = TransactionType.Payment,
            Sender = options.Platform,
            Receiver = receiver,
            Amount = microAlgo,
            Fee = options.MinFee,
            FirstValid = round,
            LastValid = round + MaxTxnLife,
            GenesisId = options.GenesisId,
            GenesisHash = genesisHash,
            Note = "FanForge simulated faucet"u8.ToArray(),
        };
        try
        {
            var delta = new LedgerDelta(ledger);
            var result = Apply(delta, [payment], 0, payment.TxId);
            var now = recorded?.Time ?? time.GetUtcNow();
            var offset = Commit(delta, round, [payment], [payment.TxId], [result], now);
            LastAccepted = LedgerEntry.Funded(receiver, microAlgo, payment.TxId, round, offset, now);
            return SubmitResult.Accepted(payment.TxId);
        }
        catch (LedgerRejection rejection)
        {
            return SubmitResult.Rejected(rejection.Message);
        }
    }

    /// <summary>Empty rounds, for tests that need the chain to move (validity windows, waits).</summary>
    public void AdvanceRounds(ulong count) => AdvanceRoundsCore(count, recorded: null);

    private SubmitResult AdvanceRoundsCore(ulong count, LedgerEntry? recorded)
    {
        sealedRound = checked(LastRound + count);
        lastRoundTime = recorded?.Time ?? time.GetUtcNow();
        LastAccepted = LedgerEntry.Advanced(count, sealedRound, lastRoundTime);
        return SubmitResult.Accepted("");
    }

    private void CheckWellFormed(Transaction transaction, string txId)
    {
        if (transaction.GenesisId.Length > 0 && transaction.GenesisId != options.GenesisId)
        {
            throw new LedgerRejection($"TransactionPool.Remember: transaction {txId}: genesis ID mismatch: {transaction.GenesisId} is not {options.GenesisId}");
        }

        if (!transaction.GenesisHash.Span.SequenceEqual(genesisHash))
        {
            throw new LedgerRejection($"TransactionPool.Remember: transaction {txId}: genesis hash mismatch");
        }

        if (transaction.LastValid < transaction.FirstValid || transaction.LastValid - transaction.FirstValid > MaxTxnLife)
        {
            throw new LedgerRejection(
                $"TransactionPool.Remember: transaction {txId}: transaction window size excessive: {transaction.FirstValid}--{transaction.LastValid} (at most {MaxTxnLife} rounds)");
        }

        if (transaction.Note.Length > MaxNoteLength)
        {
            throw new LedgerRejection($"TransactionPool.Remember: transaction {txId}: transaction note too big: {transaction.Note.Length} > {MaxNoteLength}");
        }

        if (!transaction.RekeyTo.IsZero)
        {
            // Accepting a rekey would need auth-addr tracking and signer checks that FanForge never uses.
            throw new LedgerRejection($"TransactionPool.Remember: transaction {txId}: rekeying is not supported by the simulated ledger");
        }
    }

    /// <summary>Fees pool across the group: one member may pay for another, and for the apps' inner transactions.</summary>
    private void CheckFees(IReadOnlyList<Transaction> transactions, int innerCount)
    {
        var paid = transactions.Aggregate(UInt128.Zero, (sum, transaction) => sum + transaction.Fee);
        var count = (ulong)(transactions.Count + innerCount);
        if (paid < (UInt128)count * options.MinFee)
        {
            throw new LedgerRejection(
                $"TransactionPool.Remember: txgroup had {paid} in fees, which is less than the minimum {count} * {options.MinFee}");
        }
    }

    private ApplyResult Apply(LedgerDelta delta, IReadOnlyList<Transaction> group, int index, string txId)
    {
        var transaction = group[index];
        delta.Touched.Clear();
        var sender = delta.Account(transaction.Sender);
        if (options.AutoFundMicroAlgo > 0 && transaction.Sender != options.Platform && !delta.WasAutoFunded(transaction.Sender))
        {
            sender.Balance = checked(sender.Balance + options.AutoFundMicroAlgo);
            delta.MarkAutoFunded(transaction.Sender);
        }

        Debit(transaction.Sender, sender, transaction.Fee, txId);
        var result = new ApplyResult();
        switch (transaction.Type)
        {
            case TransactionType.Payment:
                ApplyPayment(delta, transaction, txId);
                break;
            case TransactionType.AssetConfig:
                ApplyAssetConfig(delta, transaction, txId, result);
                break;
            case TransactionType.AssetFreeze:
                ApplyAssetFreeze(delta, transaction, txId);
                break;
            case TransactionType.AssetTransfer:
                ApplyAssetTransfer(delta, transaction, txId);
                break;
            case TransactionType.ApplicationCall:
                ApplyApplicationCall(delta, group, index, txId, result);
                break;
            default:
                throw new LedgerRejection($"TransactionPool.Remember: transaction {txId}: unsupported transaction type {transaction.Type}");
        }

        CheckMinBalances(delta, transaction.Sender, txId);
        return result;
    }

    private static void CheckMinBalances(LedgerDelta delta, AlgorandAddress sender, string txId)
    {
        foreach (var address in delta.Touched.ToArray())
        {
            var account = delta.Account(address);
            if (account.MeetsMinBalance)
            {
                continue;
            }

            throw address == sender
                ? Overspend(txId, address, account, account.MinBalance)
                : new LedgerRejection(
                    $"TransactionPool.Remember: transaction {txId}: account {address} balance {account.Balance} below min {account.MinBalance} ({account.Holdings.Count} assets)");
        }
    }

    /// <summary>Takes µAlgo from an account, refusing (as algod's overspend) to go below zero.</summary>
    private static void Debit(AlgorandAddress address, AccountState account, ulong amount, string txId)
    {
        if (account.Balance < amount)
        {
            throw Overspend(txId, address, account, amount);
        }

        account.Balance -= amount;
    }

    private static LedgerRejection Overspend(string txId, AlgorandAddress address, AccountState account, ulong tried) =>
        new($"TransactionPool.Remember: transaction {txId}: overspend (account {address}, data {{balance {account.Balance}, min balance {account.MinBalance}}}, tried to spend {{{tried}}})");

    /// <summary>
    /// The round a group would land in: the open one, unless the group cannot be valid before a later round (a wallet
    /// that read TestNet's params builds fv ≈ 50,000,000): then the chain jumps there rather than calling it early.
    /// Nothing changes until the group commits, so a refused group leaves no trace, not even an empty round.
    /// </summary>
    private ulong RoundFor(ulong highestFirstValid) => openRound is { } open
        ? (highestFirstValid <= open ? open : Math.Max(open + 1, highestFirstValid))
        : Math.Max(sealedRound + 1, highestFirstValid);

    /// <summary>Closes the open round: from now on it is part of the chain every read sees.</summary>
    private void Seal()
    {
        if (openRound is { } open)
        {
            sealedRound = open;
            openRound = null;
        }
    }

    /// <summary>Makes the group part of the open round (opening <paramref name="round"/> if need be); returns its first offset.</summary>
    private ulong Commit(
        LedgerDelta delta, ulong round, IReadOnlyList<Transaction> transactions, IReadOnlyList<string> txIds, IReadOnlyList<ApplyResult> results, DateTimeOffset now)
    {
        if (openRound != round)
        {
            Seal();
            openRound = round;
            nextOffset = 0;
        }

        var firstOffset = nextOffset;
        delta.CommitTo(ledger);
        // The indexer reports whole seconds.
        lastRoundTime = now;
        var roundTime = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
        for (var index = 0; index < transactions.Count; index++)
        {
            var result = results[index];
            var record = new ConfirmedTransaction(
                txIds[index], transactions[index], round, nextOffset++, roundTime,
                result.CreatedAssetId, result.CreatedApplicationId, [.. result.Logs], [.. result.InnerTransactions]);
            confirmed[record.TxId] = record;
            history.Add(record);
            if (transactions[index].Type == TransactionType.ApplicationCall)
            {
                var appId = result.CreatedApplicationId ?? transactions[index].ApplicationId;
                if (!callsByApp.TryGetValue(appId, out var calls))
                {
                    callsByApp[appId] = calls = [];
                }

                calls.Add(record);
            }
        }

        return firstOffset;
    }
}
