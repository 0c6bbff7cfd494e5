using FanForge.Grains.Algorand.Clients;

namespace FanForge.Grains.Algorand.Simulation;

/// <summary>
/// The one simulated ledger of a cluster (key <see cref="Key"/>), mirroring <see cref="SimulatedChain"/>. Addresses
/// cross as their text so the contract needs no codec for <see cref="AlgorandAddress"/>.
/// </summary>
[Alias("ff.ISimulatedLedger")]
public interface ISimulatedLedger : IGrainWithStringKey
{
    const string Key = "sim";

    [Alias("Submit")]
    Task<SubmitResult> SubmitAsync(byte[] signedTransactions);

    [Alias("Fund")]
    Task<SubmitResult> FundAsync(string address, ulong microAlgo);

    [Alias("AdvanceRounds")]
    Task AdvanceRoundsAsync(ulong count);

    [Alias("GetParams")]
    Task<TransactionParams> GetParamsAsync();

    [Alias("GetStatus")]
    Task<NodeStatus> GetStatusAsync();

    [Alias("GetPending")]
    Task<PendingTransaction?> GetPendingAsync(string txId);

    [Alias("GetAccount")]
    Task<AccountInformation> GetAccountAsync(string address);

    [Alias("GetAccountAsset")]
    Task<AssetHolding?> GetAccountAssetAsync(string address, ulong assetId);

    [Alias("GetAsset")]
    Task<AssetInfo?> GetAssetAsync(ulong assetId);

    [Alias("GetApplication")]
    Task<ApplicationInfo?> GetApplicationAsync(ulong applicationId);

    [Alias("SearchApplicationCalls")]
    Task<IndexerTransactionPage> SearchApplicationCallsAsync(ulong applicationId, ulong minRound, string? next, int limit);

    [Alias("SearchRounds")]
    Task<IndexerTransactionPage> SearchRoundsAsync(ulong minRound, ulong maxRound, string? next, int limit);

    [Alias("LookupTransaction")]
    Task<IndexerTransaction?> LookupTransactionAsync(string txId);
}
