using FanForge.Grains.Algorand;
using FanForge.Grains.Algorand.Clients;
using FanForge.GrainInterfaces.Errors;

namespace FanForge.Grains.Chain;

/// <summary>
/// Transactions the platform signs (TipProxy deployments, badge mints) that must land at most once: the caller stores
/// the signed bytes before the first send and hands exactly those bytes to <see cref="SubmitOnceAsync"/> on every
/// attempt, so retries, lost answers and crashes can never put a second one on chain.
/// </summary>
public static class PlatformTransactions
{
    /// <summary>A transaction valid from the node's last round for the longest window the protocol allows.</summary>
    public static Transaction FromParams(TransactionParams chain, TransactionType type, AlgorandAddress sender) => new()
    {
        Type = type,
        Sender = sender,
        FirstValid = chain.LastRound,
        LastValid = chain.LastRound + 1000,
        GenesisId = chain.GenesisId,
        GenesisHash = chain.GenesisHash,
    };

    /// <summary>The node's fee for this transaction's size (never below the protocol minimum).</summary>
    public static Transaction WithFlatFee(this Transaction transaction, TransactionParams chain) =>
        transaction with { Fee = Fees.FlatFee(transaction.Encode().Length, chain.FeePerByte, Math.Max(chain.MinFee, Fees.MinimumFee)) };

    /// <summary>
    /// An atomic group of the platform's own transactions (each with its fee already set), grouped and signed, as the
    /// concatenated bytes to store before the first send: all its members land together or none does.
    /// </summary>
    public static byte[] SignGroup(IReadOnlyList<Transaction> members, ITransactionSigner signer) =>
        [.. TransactionGroup.AssignGroup(members).SelectMany(member => SignedTransaction.Sign(member, signer).Encode())];

    /// <summary>
    /// Sends the stored bytes (one signed transaction or a signed group, concatenated) again and waits for them to
    /// confirm: a group confirms whole, so its first member stands for it. Bytes that can never land — refused for good, or
    /// unconfirmed past their validity window — are given to <paramref name="discardAsync"/>, so the next attempt
    /// signs afresh. Node failures leave as domain errors.
    /// </summary>
    public static async Task<PendingTransaction> SubmitOnceAsync(
        IAlgodClient algod, byte[] signedBytes, Func<Task> discardAsync, CancellationToken cancellationToken)
    {
        var members = SignedTransaction.DecodeConcatenated(signedBytes);
        var (first, lastValid) = (members[0], members.Min(member => member.Transaction.LastValid));
        try
        {
            await algod.SubmitAsync(signedBytes, cancellationToken);
        }
        catch (AlgorandNodeException e) when (e.IsAlreadyInLedger)
        {
            // Sent by an earlier attempt whose answer was lost; confirmation below finds it.
        }
        catch (AlgorandNodeException e) when (!e.IsTransient)
        {
            await discardAsync();
            throw ChainRejections.FromNode(e);
        }
        catch (AlgorandNodeException e)
        {
            throw ChainRejections.FromNode(e);
        }

        try
        {
            return await Confirmation.WaitAsync(algod, first.TxId, lastValid, cancellationToken);
        }
        catch (AlgorandNodeException e)
        {
            throw ChainRejections.FromNode(e);
        }
        catch (DomainException e) when (e.Code == Confirmation.Expired)
        {
            await discardAsync();
            throw;
        }
    }
}

/// <summary>Waits for a submitted transaction the way algosdk's waitForConfirmation does.</summary>
public static class Confirmation
{
    /// <summary>
    /// One of the platform's own transactions outlived its validity window (an upstream failure, 502), distinct from
    /// <c>transaction_expired</c>, the 400 for a fan's submitted transaction that is past its window.
    /// </summary>
    public const string Expired = "platform_transaction_expired";

    /// <summary>The confirmed transaction; throws when the pool kicked it out or its validity window passed.</summary>
    public static async Task<PendingTransaction> WaitAsync(IAlgodClient algod, string txId, ulong lastValid, CancellationToken cancellationToken)
    {
        var round = (await algod.GetStatusAsync(cancellationToken)).LastRound;
        while (true)
        {
            var pending = await algod.GetPendingTransactionAsync(txId, cancellationToken);
            if (pending is { IsConfirmed: true })
            {
                return pending;
            }

            if (pending is { IsRejected: true })
            {
                throw new DomainException(DomainErrorKind.Upstream, "transaction_failed", $"Transaction {txId} was rejected: {pending.PoolError}");
            }

            if (round > lastValid)
            {
                throw new DomainException(DomainErrorKind.Upstream, Expired, $"Transaction {txId} was not confirmed before round {lastValid}.");
            }

            round = (await algod.WaitForBlockAfterAsync(round, cancellationToken)).LastRound;
        }
    }
}
