using System.Net;
using FanForge.Grains.Algorand;
using FanForge.Grains.Algorand.Clients;
using FanForge.Grains.Algorand.Simulation;

namespace FanForge.Tests.Infrastructure;

/// <summary>A node that passes everything to <see cref="Inner"/>; a fault overrides the one call it breaks.</summary>
public abstract class ForwardingAlgodClient(IAlgodClient inner) : IAlgodClient
{
    protected IAlgodClient Inner => inner;

    /// <summary>What a node says while it cannot serve: transient, so callers retry.</summary>
    protected static AlgorandNodeException Unavailable() =>
        new(HttpStatusCode.ServiceUnavailable, "algod answered 503", "node is catching up");

    public virtual Task<string> SubmitAsync(ReadOnlyMemory<byte> signedTransactions, CancellationToken cancellationToken = default) => inner.SubmitAsync(signedTransactions, cancellationToken);
    public virtual Task<ApplicationInfo?> GetApplicationAsync(ulong applicationId, CancellationToken cancellationToken = default) => inner.GetApplicationAsync(applicationId, cancellationToken);
    public Task<TransactionParams> GetTransactionParamsAsync(CancellationToken cancellationToken = default) => inner.GetTransactionParamsAsync(cancellationToken);
    public Task<PendingTransaction?> GetPendingTransactionAsync(string txid, CancellationToken cancellationToken = default) => inner.GetPendingTransactionAsync(txid, cancellationToken);
    public Task<NodeStatus> GetStatusAsync(CancellationToken cancellationToken = default) => inner.GetStatusAsync(cancellationToken);
    public Task<NodeStatus> WaitForBlockAfterAsync(ulong round, CancellationToken cancellationToken = default) => inner.WaitForBlockAfterAsync(round, cancellationToken);
    public Task<AccountInformation> GetAccountAsync(AlgorandAddress address, CancellationToken cancellationToken = default) => inner.GetAccountAsync(address, cancellationToken);
    public Task<AssetHolding?> GetAccountAssetAsync(AlgorandAddress address, ulong assetId, CancellationToken cancellationToken = default) => inner.GetAccountAssetAsync(address, assetId, cancellationToken);
    public Task<AssetInfo?> GetAssetAsync(ulong assetId, CancellationToken cancellationToken = default) => inner.GetAssetAsync(assetId, cancellationToken);
    public Task<CompiledTeal> CompileTealAsync(string source, CancellationToken cancellationToken = default) => inner.CompileTealAsync(source, cancellationToken);
}

/// <summary>
/// The simulated node, except that the first submit of each transaction is applied but its answer is lost (a 503
/// after the chain took it): the hardest retry, where resending must not mint twice.
/// </summary>
public sealed class LostAnswerAlgodClient(IGrainFactory grains) : ForwardingAlgodClient(new SimulatedAlgodClient(grains))
{
    private readonly HashSet<string> answered = [];

    public override async Task<string> SubmitAsync(ReadOnlyMemory<byte> signedTransactions, CancellationToken cancellationToken = default)
    {
        var txId = await Inner.SubmitAsync(signedTransactions, cancellationToken);
        lock (answered)
        {
            if (answered.Add(txId))
            {
                throw Unavailable();
            }
        }

        return txId;
    }
}

/// <summary>
/// The simulated node during a mint outage: the first <paramref name="failures"/> asset creations fail with a 503, the
/// first one after the chain took it (its answer lost), the others before it reached the chain. All else works.
/// </summary>
public sealed class MintOutageAlgodClient(IGrainFactory grains, int failures) : ForwardingAlgodClient(new SimulatedAlgodClient(grains))
{
    private int creations;

    /// <summary>Asset creations submitted so far, failed ones included: one per mint attempt that reached the node.</summary>
    public int Creations => Volatile.Read(ref creations);

    public override async Task<string> SubmitAsync(ReadOnlyMemory<byte> signedTransactions, CancellationToken cancellationToken = default)
    {
        if (SignedTransaction.DecodeConcatenated(signedTransactions.Span).All(t => t.Transaction.Type != TransactionType.AssetConfig))
        {
            return await Inner.SubmitAsync(signedTransactions, cancellationToken);
        }

        var attempt = Interlocked.Increment(ref creations);
        if (attempt == 1)
        {
            await Inner.SubmitAsync(signedTransactions, cancellationToken);
        }

        return attempt <= failures ? throw Unavailable() : await Inner.SubmitAsync(signedTransactions, cancellationToken);
    }
}
