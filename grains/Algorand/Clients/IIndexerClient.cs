namespace FanForge.Grains.Algorand.Clients;

/// <summary>The slice of indexer v2 the tip watcher uses; transport-neutral like <see cref="IAlgodClient"/>.</summary>
public interface IIndexerClient
{
    /// <summary>
    /// Application calls to <paramref name="applicationId"/> from <paramref name="minRound"/> (inclusive), oldest
    /// first. Pass the previous page's <see cref="IndexerTransactionPage.NextToken"/> as <paramref name="next"/>
    /// until a page comes back empty.
    /// </summary>
    Task<IndexerTransactionPage> SearchApplicationCallsAsync(
        ulong applicationId, ulong minRound, string? next, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every transaction confirmed in rounds <paramref name="minRound"/> to <paramref name="maxRound"/> (both
    /// inclusive), whatever its type, ordered by (round, intra-round offset), paged like
    /// <see cref="SearchApplicationCallsAsync"/>. A follower that reads each confirmed round once this way sees whole
    /// groups (a tip's payment next to its app call) and app creates and updates with their approval programs,
    /// which a search by application id cannot show before the id is known. A <paramref name="minRound"/> above
    /// <paramref name="maxRound"/> is the indexer's 400.
    /// </summary>
    Task<IndexerTransactionPage> SearchRoundsAsync(ulong minRound, ulong maxRound, string? next, int limit, CancellationToken cancellationToken = default);

    /// <summary>Null when the indexer has no such transaction (yet).</summary>
    Task<IndexerTransaction?> LookupTransactionAsync(string txid, CancellationToken cancellationToken = default);

    /// <summary>The last round the indexer has imported.</summary>
    Task<ulong> GetHealthAsync(CancellationToken cancellationToken = default);
}
