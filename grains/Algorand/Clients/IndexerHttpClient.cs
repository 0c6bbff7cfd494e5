using System.Globalization;

namespace FanForge.Grains.Algorand.Clients;

/// <summary><see cref="IIndexerClient"/> over the indexer's v2 REST API.</summary>
public sealed class IndexerHttpClient : IIndexerClient
{
    /// <summary>The indexer daemon's own cap; hosted indexers may cap lower and then just return shorter pages.</summary>
    public const int MaxPageSize = 10_000;

    private readonly NodeHttpSender sender;

    public IndexerHttpClient(HttpClient http, AlgorandNodeOptions options, TimeProvider? timeProvider = null) =>
        sender = new NodeHttpSender("indexer", http, options, AlgorandNodeOptions.IndexerTokenHeader, timeProvider);

    public Task<IndexerTransactionPage> SearchApplicationCallsAsync(
        ulong applicationId, ulong minRound, string? next, int limit, CancellationToken cancellationToken = default) =>
        SearchAsync(
            string.Create(CultureInfo.InvariantCulture, $"application-id={applicationId}&tx-type=appl&min-round={minRound}"),
            next,
            limit,
            cancellationToken);

    public async Task<IndexerTransactionPage> SearchRoundsAsync(
        ulong minRound, ulong maxRound, string? next, int limit, CancellationToken cancellationToken = default)
    {
        // The indexer reads max-round=0 as "no upper bound", so [x, 0] would silently become every round from x on.
        // No transaction confirms in round 0, so no caller needs it; min > max is left to the indexer's own 400.
        ArgumentOutOfRangeException.ThrowIfZero(maxRound);
        return await SearchAsync(string.Create(CultureInfo.InvariantCulture, $"min-round={minRound}&max-round={maxRound}"), next, limit, cancellationToken)
            .ConfigureAwait(false);
    }

    public async Task<IndexerTransaction?> LookupTransactionAsync(string txid, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(txid);
        var request = new NodeRequest(HttpMethod.Get, "/v2/transactions/" + Uri.EscapeDataString(txid)) { NotFoundIsNull = true };
        var wire = await sender.SendAsync(request, AlgorandWireJson.Default.IndexerLookupWire, cancellationToken).ConfigureAwait(false);
        return wire?.Transaction is { } transaction ? ToTransaction(transaction) : null;
    }

    public async Task<ulong> GetHealthAsync(CancellationToken cancellationToken = default)
    {
        var wire = await sender.SendAsync(new NodeRequest(HttpMethod.Get, "/health"), AlgorandWireJson.Default.IndexerHealthWire, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("Health does not map 404 to null.");
        return wire.Round;
    }

    /// <summary>
    /// GET /v2/transactions with <paramref name="filter"/> (already escaped query pairs), then the page size and the
    /// cursor: the searches differ only in their filter, so limits, token handling and decoding stay in one place.
    /// </summary>
    private async Task<IndexerTransactionPage> SearchAsync(string filter, string? next, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxPageSize);
        var query = string.Create(CultureInfo.InvariantCulture, $"/v2/transactions?{filter}&limit={limit}");
        if (!string.IsNullOrEmpty(next))
        {
            query += "&next=" + Uri.EscapeDataString(next);
        }

        var wire = await sender.SendAsync(new NodeRequest(HttpMethod.Get, query), AlgorandWireJson.Default.IndexerTransactionsWire, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("A search does not map 404 to null.");
        return new IndexerTransactionPage(
            wire.CurrentRound,
            string.IsNullOrEmpty(wire.NextToken) ? null : wire.NextToken,
            wire.Transactions?.Select(ToTransaction).ToArray() ?? []);
    }

    internal static IndexerTransaction ToTransaction(IndexerTransactionWire wire) => new()
    {
        Id = wire.Id,
        TxType = wire.TxType,
        Sender = wire.Sender,
        Fee = wire.Fee,
        ConfirmedRound = wire.ConfirmedRound,
        IntraRoundOffset = wire.IntraRoundOffset,
        RoundTime = wire.RoundTime is { } seconds ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null,
        Group = wire.Group,
        Note = wire.Note,
        ApplicationId = wire.ApplicationTransaction?.ApplicationId,
        OnCompletion = wire.ApplicationTransaction?.OnCompletion,
        ApplicationArgs = wire.ApplicationTransaction?.ApplicationArgs?.ToArray() ?? [],
        Logs = wire.Logs?.ToArray() ?? [],
        InnerTransactions = wire.InnerTxns?.Select(ToTransaction).ToArray() ?? [],
        PaymentAmount = wire.PaymentTransaction?.Amount,
        PaymentReceiver = wire.PaymentTransaction?.Receiver,
        ApprovalProgram = wire.ApplicationTransaction?.ApprovalProgram,
        CreatedApplicationId = wire.CreatedApplicationIndex,
        AssetId = wire.AssetTransferTransaction?.AssetId,
        AssetAmount = wire.AssetTransferTransaction?.Amount,
        AssetReceiver = wire.AssetTransferTransaction?.Receiver,
        AssetClawbackFrom = NullIfEmpty(wire.AssetTransferTransaction?.Sender),
        AssetCloseTo = NullIfEmpty(wire.AssetTransferTransaction?.CloseTo),
    };

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
