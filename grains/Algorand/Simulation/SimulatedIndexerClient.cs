using System.Net;
using FanForge.Grains.Algorand.Clients;

namespace FanForge.Grains.Algorand.Simulation;

/// <summary><see cref="IIndexerClient"/> over the simulated ledger grain, which indexes every round as it confirms.</summary>
public sealed class SimulatedIndexerClient(IGrainFactory grains) : IIndexerClient
{
    private ISimulatedLedger Ledger => grains.GetGrain<ISimulatedLedger>(ISimulatedLedger.Key);

    public Task<IndexerTransactionPage> SearchApplicationCallsAsync(
        ulong applicationId, ulong minRound, string? next, int limit, CancellationToken cancellationToken = default) =>
        AsIndexerAsync(() => Ledger.SearchApplicationCallsAsync(applicationId, minRound, next, limit));

    public Task<IndexerTransactionPage> SearchRoundsAsync(
        ulong minRound, ulong maxRound, string? next, int limit, CancellationToken cancellationToken = default) =>
        AsIndexerAsync(() => Ledger.SearchRoundsAsync(minRound, maxRound, next, limit));

    public Task<IndexerTransaction?> LookupTransactionAsync(string txid, CancellationToken cancellationToken = default) =>
        Ledger.LookupTransactionAsync(txid);

    public async Task<ulong> GetHealthAsync(CancellationToken cancellationToken = default) => (await Ledger.GetStatusAsync()).LastRound;

    /// <summary>
    /// The ledger refuses a search's input (a token it never issued, a reversed range) with an
    /// <see cref="ArgumentException"/>; callers see it as the 400 the indexer answers, so they handle one failure
    /// shape whichever client they run against.
    /// </summary>
    private static async Task<IndexerTransactionPage> AsIndexerAsync(Func<Task<IndexerTransactionPage>> search)
    {
        try
        {
            return await search();
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
}
