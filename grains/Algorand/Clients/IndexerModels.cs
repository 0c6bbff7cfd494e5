namespace FanForge.Grains.Algorand.Clients;

/// <summary>
/// One page of a search. Pages come oldest first; an empty page (not a missing token) ends the scan, and everything
/// up to <paramref name="CurrentRound"/> was visible to the indexer when it answered.
/// </summary>
public sealed record IndexerTransactionPage(ulong CurrentRound, string? NextToken, IReadOnlyList<IndexerTransaction> Transactions);

/// <summary>
/// An indexer transaction, flattened to what the platform reads. Inner transactions reuse the shape with a null
/// <see cref="Id"/> and no round information.
/// </summary>
public sealed record IndexerTransaction
{
    /// <summary>Null for inner transactions, which have no txid of their own.</summary>
    public string? Id { get; init; }

    /// <summary><c>pay</c>, <c>appl</c>, <c>axfer</c>, <c>acfg</c>, <c>afrz</c>, <c>keyreg</c>…</summary>
    public required string TxType { get; init; }

    public required string Sender { get; init; }

    public ulong Fee { get; init; }

    public ulong? ConfirmedRound { get; init; }

    public ulong? IntraRoundOffset { get; init; }

    public DateTimeOffset? RoundTime { get; init; }

    public byte[]? Group { get; init; }

    public byte[]? Note { get; init; }

    public ulong? ApplicationId { get; init; }

    /// <summary><c>noop</c>, <c>optin</c>, <c>closeout</c>, <c>clear</c>, <c>update</c> or <c>delete</c>.</summary>
    public string? OnCompletion { get; init; }

    public IReadOnlyList<byte[]> ApplicationArgs { get; init; } = [];

    public IReadOnlyList<byte[]> Logs { get; init; } = [];

    public IReadOnlyList<IndexerTransaction> InnerTransactions { get; init; } = [];

    public ulong? PaymentAmount { get; init; }

    public string? PaymentReceiver { get; init; }
}
