using FanForge.Grains.Algorand.Clients;
using Microsoft.Extensions.Options;

namespace FanForge.Grains.Algorand.Simulation;

/// <summary>
/// Hosts the <see cref="SimulatedChain"/> in memory. Deliberately not persisted: a simulation starts empty with the
/// cluster. <see cref="KeepAliveAttribute"/> keeps idle collection from wiping the chain between calls.
/// </summary>
[KeepAlive]
[GrainType("ff.simulated-ledger")]
public sealed class SimulatedLedgerGrain(IOptions<SimulatedChainOptions> options, BusinessClock time) : Grain, ISimulatedLedger
{
    private readonly SimulatedChain chain = new(options.Value, time);

    public Task<SubmitResult> SubmitAsync(byte[] signedTransactions) => Task.FromResult(chain.Submit(signedTransactions));

    public Task<SubmitResult> FundAsync(string address, ulong microAlgo) => Task.FromResult(chain.Fund(AlgorandAddress.Parse(address), microAlgo));

    public Task AdvanceRoundsAsync(ulong count)
    {
        chain.AdvanceRounds(count);
        return Task.CompletedTask;
    }

    public Task<TransactionParams> GetParamsAsync() => Task.FromResult(chain.GetParams());

    public Task<NodeStatus> GetStatusAsync() => Task.FromResult(chain.GetStatus());

    public Task<PendingTransaction?> GetPendingAsync(string txId) => Task.FromResult(chain.GetPending(txId));

    public Task<AccountInformation> GetAccountAsync(string address) => Task.FromResult(chain.GetAccount(AlgorandAddress.Parse(address)));

    public Task<AssetHolding?> GetAccountAssetAsync(string address, ulong assetId) =>
        Task.FromResult(chain.GetAccountAsset(AlgorandAddress.Parse(address), assetId));

    public Task<AssetInfo?> GetAssetAsync(ulong assetId) => Task.FromResult(chain.GetAsset(assetId));

    public Task<ApplicationInfo?> GetApplicationAsync(ulong applicationId) => Task.FromResult(chain.GetApplication(applicationId));

    public Task<IndexerTransactionPage> SearchApplicationCallsAsync(ulong applicationId, ulong minRound, string? next, int limit) =>
        Task.FromResult(chain.SearchApplicationCalls(applicationId, minRound, next, limit));

    public Task<IndexerTransactionPage> SearchRoundsAsync(ulong minRound, ulong maxRound, string? next, int limit) =>
        Task.FromResult(chain.SearchRounds(minRound, maxRound, next, limit));

    public Task<IndexerTransaction?> LookupTransactionAsync(string txId) => Task.FromResult(chain.LookupTransaction(txId));
}
