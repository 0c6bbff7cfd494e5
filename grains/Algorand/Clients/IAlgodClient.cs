namespace FanForge.Grains.Algorand.Clients;

/// <summary>
/// The slice of algod v2 the platform uses. Transport-neutral so a simulated ledger can stand in for a node; any
/// failure surfaces as <see cref="AlgorandNodeException"/>, and "does not exist" answers (404) as null.
/// </summary>
public interface IAlgodClient
{
    Task<TransactionParams> GetTransactionParamsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends concatenated signed transactions and returns the first one's txid. Safe to call again with the same
    /// bytes after an unclear failure: a duplicate comes back as <see cref="AlgorandNodeException.IsAlreadyInLedger"/>.
    /// </summary>
    Task<string> SubmitAsync(ReadOnlyMemory<byte> signedTransactions, CancellationToken cancellationToken = default);

    /// <summary>Null once the transaction is neither in the pool nor in the last 1000 rounds (or never was).</summary>
    Task<PendingTransaction?> GetPendingTransactionAsync(string txid, CancellationToken cancellationToken = default);

    Task<NodeStatus> GetStatusAsync(CancellationToken cancellationToken = default);

    /// <summary>Returns once a block after <paramref name="round"/> exists, or after the node's own wait cap (about a minute).</summary>
    Task<NodeStatus> WaitForBlockAfterAsync(ulong round, CancellationToken cancellationToken = default);

    Task<AccountInformation> GetAccountAsync(AlgorandAddress address, CancellationToken cancellationToken = default);

    /// <summary>Null when the account has not opted in to the asset.</summary>
    Task<AssetHolding?> GetAccountAssetAsync(AlgorandAddress address, ulong assetId, CancellationToken cancellationToken = default);

    /// <summary>Null when the asset does not exist (or was destroyed).</summary>
    Task<AssetInfo?> GetAssetAsync(ulong assetId, CancellationToken cancellationToken = default);

    /// <summary>Null when the application does not exist (or was deleted).</summary>
    Task<ApplicationInfo?> GetApplicationAsync(ulong applicationId, CancellationToken cancellationToken = default);

    /// <summary>Needs a node with the developer API enabled.</summary>
    Task<CompiledTeal> CompileTealAsync(string source, CancellationToken cancellationToken = default);
}
