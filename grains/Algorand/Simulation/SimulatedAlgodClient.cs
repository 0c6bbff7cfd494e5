using System.Net;
using FanForge.Grains.Algorand.Clients;

namespace FanForge.Grains.Algorand.Simulation;

/// <summary><see cref="IAlgodClient"/> over the simulated ledger grain; failures look like a real algod's.</summary>
/// <param name="grains">Reaches the ledger grain.</param>
/// <param name="waitCap">How long <see cref="WaitForBlockAfterAsync"/> polls before answering "no new block" (default 5 s).</param>
public sealed class SimulatedAlgodClient(IGrainFactory grains, TimeSpan? waitCap = null) : IAlgodClient
{
    public static readonly TimeSpan DefaultWaitCap = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private readonly int maxPolls = (int)Math.Ceiling((waitCap ?? DefaultWaitCap) / PollInterval);

    private ISimulatedLedger Ledger => grains.GetGrain<ISimulatedLedger>(ISimulatedLedger.Key);

    public Task<TransactionParams> GetTransactionParamsAsync(CancellationToken cancellationToken = default) => Ledger.GetParamsAsync();

    public async Task<string> SubmitAsync(ReadOnlyMemory<byte> signedTransactions, CancellationToken cancellationToken = default)
    {
        var result = await Ledger.SubmitAsync(signedTransactions.ToArray());
        return result.TxId ?? throw new AlgorandNodeException(
            (HttpStatusCode)result.Status,
            $"simulated algod POST /v2/transactions failed: {result.Status} {(HttpStatusCode)result.Status}: {result.Message}",
            result.Message)
        {
            Attempts = 1,
        };
    }

    public Task<PendingTransaction?> GetPendingTransactionAsync(string txid, CancellationToken cancellationToken = default) => Ledger.GetPendingAsync(txid);

    public Task<NodeStatus> GetStatusAsync(CancellationToken cancellationToken = default) => Ledger.GetStatusAsync();

    public async Task<NodeStatus> WaitForBlockAfterAsync(ulong round, CancellationToken cancellationToken = default)
    {
        var status = await Ledger.GetStatusAsync();
        // Rounds advance only when something is submitted, so polling briefly and then answering with the current
        // status is the analogue of algod's capped long poll. The wait counts polls on real timers, not the injected
        // clock: with a fake clock in tests a clock-driven delay would never end.
        for (var poll = 0; poll < maxPolls && status.LastRound <= round; poll++)
        {
            await Task.Delay(PollInterval, cancellationToken);
            status = await Ledger.GetStatusAsync();
        }

        return status;
    }

    public Task<AccountInformation> GetAccountAsync(AlgorandAddress address, CancellationToken cancellationToken = default) =>
        Ledger.GetAccountAsync(address.ToString());

    public Task<AssetHolding?> GetAccountAssetAsync(AlgorandAddress address, ulong assetId, CancellationToken cancellationToken = default) =>
        Ledger.GetAccountAssetAsync(address.ToString(), assetId);

    public Task<AssetInfo?> GetAssetAsync(ulong assetId, CancellationToken cancellationToken = default) => Ledger.GetAssetAsync(assetId);

    public Task<ApplicationInfo?> GetApplicationAsync(ulong applicationId, CancellationToken cancellationToken = default) =>
        Ledger.GetApplicationAsync(applicationId);

    public Task<CompiledTeal> CompileTealAsync(string source, CancellationToken cancellationToken = default) =>
        throw new AlgorandNodeException(
            HttpStatusCode.NotFound,
            "simulated algod POST /v2/teal/compile failed: 404 NotFound: developer API not available on the simulated ledger",
            "developer API not available on the simulated ledger");
}
