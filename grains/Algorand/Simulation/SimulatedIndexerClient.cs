using System.Net;
using FanForge.Grains.Algorand.Clients;

namespace FanForge.Grains.Algorand.Simulation;

/// <summary><see cref="IIndexerClient"/> over the simulated ledger grain, which indexes every round as it confirms.</summary>
public sealed class SimulatedIndexerClient(IGrainFactory grains) : IIndexerClient
{
    private ISimulatedLedger Ledger => grains.GetGrain<ISimulatedLedger>(ISimulatedLedger.Key);

    public async Task<IndexerTransactionPage> SearchApplicationCallsAsync(
        ulong applicationId, ulong minRound, string? next, int limit, CancellationToken cancellationToken = default)
    {
        try
        {
            return await Ledger.SearchApplicationCallsAsync(applicationId, minRound, next, limit);
        }
        catch (ArgumentException refused)
        {
            throw new AlgorandNodeException(
                HttpStatusCode.BadRequest, $"simulated indexer GET /v2/transactions failed: 400 BadRequest: {refused.Message}", refused.Message, refused)
            {
                Attempts = 1,
            };
        }
    }

    public Task<IndexerTransaction?> LookupTransactionAsync(string txid, CancellationToken cancellationToken = default) =>
        Ledger.LookupTransactionAsync(txid);

    public async Task<ulong> GetHealthAsync(CancellationToken cancellationToken = default) => (await Ledger.GetStatusAsync()).LastRound;
}
