using FanForge.Grains.Algorand.Clients;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Storage;

namespace FanForge.Grains.Algorand.Simulation;

/// <summary>
/// Hosts the <see cref="SimulatedChain"/>. With <see cref="SimulatedChainOptions.Durable"/> every accepted change is
/// appended to a <see cref="SimulatedLedgerLog"/> in grain storage before it is acknowledged, and activation replays
/// the log, so the chain survives the loss of its silo with its rounds, apps, balances and history, and never hands
/// out an id twice. Otherwise it lives in memory and starts empty with the cluster.
/// <para>
/// Calls do not interleave: a read waits while a change is being stored, so no reader sees a round (reads seal the
/// open round) before what is in it is durable. A failed append drops the chain from memory, and the next call
/// rebuilds it from what storage really holds. <see cref="KeepAliveAttribute"/> keeps idle collection from wiping an
/// in-memory chain (and a durable one from replaying for nothing).
/// </para>
/// </summary>
[KeepAlive]
[GrainType("ff.simulated-ledger")]
public sealed class SimulatedLedgerGrain(IOptions<SimulatedChainOptions> options, BusinessClock time, ILogger<SimulatedLedgerGrain> logger)
    : Grain, ISimulatedLedger
{
    private SimulatedChain? chain;
    private SimulatedLedgerLog? log;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await ChainAsync();
        await base.OnActivateAsync(cancellationToken);
    }

    public async Task<SubmitResult> SubmitAsync(byte[] signedTransactions)
    {
        var current = await ChainAsync();
        var result = current.Submit(signedTransactions);
        if (result.IsAccepted)
        {
            await RecordAsync(current);
        }

        return result;
    }

    public async Task<SubmitResult> FundAsync(string address, ulong microAlgo)
    {
        var current = await ChainAsync();
        var result = current.Fund(AlgorandAddress.Parse(address), microAlgo);
        if (result.IsAccepted)
        {
            await RecordAsync(current);
        }

        return result;
    }

    public async Task AdvanceRoundsAsync(ulong count)
    {
        var current = await ChainAsync();
        current.AdvanceRounds(count);
        await RecordAsync(current);
    }

    public async Task<TransactionParams> GetParamsAsync() => (await ChainAsync()).GetParams();

    public async Task<NodeStatus> GetStatusAsync() => (await ChainAsync()).GetStatus();

    public async Task<PendingTransaction?> GetPendingAsync(string txId) => (await ChainAsync()).GetPending(txId);

    public async Task<AccountInformation> GetAccountAsync(string address) => (await ChainAsync()).GetAccount(AlgorandAddress.Parse(address));

    public async Task<AssetHolding?> GetAccountAssetAsync(string address, ulong assetId) =>
        (await ChainAsync()).GetAccountAsset(AlgorandAddress.Parse(address), assetId);

    public async Task<AssetInfo?> GetAssetAsync(ulong assetId) => (await ChainAsync()).GetAsset(assetId);

    public async Task<ApplicationInfo?> GetApplicationAsync(ulong applicationId) => (await ChainAsync()).GetApplication(applicationId);

    public async Task<IndexerTransactionPage> SearchApplicationCallsAsync(ulong applicationId, ulong minRound, string? next, int limit) =>
        (await ChainAsync()).SearchApplicationCalls(applicationId, minRound, next, limit);

    public async Task<IndexerTransactionPage> SearchRoundsAsync(ulong minRound, ulong maxRound, string? next, int limit) =>
        (await ChainAsync()).SearchRounds(minRound, maxRound, next, limit);

    public async Task<IndexerTransaction?> LookupTransactionAsync(string txId) => (await ChainAsync()).LookupTransaction(txId);

    /// <summary>The chain in memory, first loaded (replayed) from storage when durable.</summary>
    private async ValueTask<SimulatedChain> ChainAsync()
    {
        if (chain is not null)
        {
            return chain;
        }

        if (!options.Value.Durable)
        {
            return chain = new SimulatedChain(options.Value, time);
        }

        var storage = ServiceProvider.GetRequiredKeyedService<IGrainStorage>(StorageNames.Default);
        (chain, log) = await SimulatedLedgerLog.LoadAsync(storage, this.GetGrainId(), options.Value, time, logger);
        logger.LogInformation("Simulated ledger replayed {Entries} stored changes up to round {Round}.", log.Count, chain.LastRound);
        return chain;
    }

    /// <summary>Makes the change just accepted durable; if that fails, the chain is dropped and rebuilt by the next call.</summary>
    private async Task RecordAsync(SimulatedChain current)
    {
        if (log is null)
        {
            return;
        }

        try
        {
            await log.AppendAsync(current.LastAccepted!);
        }
        catch
        {
            (chain, log) = (null, null);
            throw;
        }
    }
}
