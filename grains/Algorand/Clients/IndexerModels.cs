namespace FanForge.Grains.Algorand.Clients;

/// <summary>
/// One page of a search. Pages come oldest first; an empty page (not a missing token) ends the scan, and everything
/// up to <paramref name="CurrentRound"/> was visible to the indexer when it answered.
/// </summary>
[GenerateSerializer, Immutable, Alias("ff.algod.IndexerTransactionPage")]
public sealed record IndexerTransactionPage([property: Id(0)] ulong CurrentRound, [property: Id(1)] string? NextToken, [property: Id(2)] IReadOnlyList<IndexerTransaction> Transactions);

/// <summary>
/// An indexer transaction, flattened to what the platform reads. Inner transactions reuse the shape with a null
/// <see cref="Id"/> and no round information.
/// </summary>
[GenerateSerializer, Immutable, Alias("ff.algod.IndexerTransaction")]
public sealed record IndexerTransaction
{
    /// <summary>Null for inner transactions, which have no txid of their own.</summary>
    [Id(0)] public string? Id { get; init; }

    /// <summary><c>pay</c>, <c>appl</c>, <c>axfer</c>, <c>acfg</c>, <c>afrz</c>, <c>keyreg</c>…</summary>
    [Id(1)] public required string TxType { get; init; }

    [Id(2)] public required string Sender { get; init; }

    [Id(3)] public ulong Fee { get; init; }

    [Id(4)] public ulong? ConfirmedRound { get; init; }

    [Id(5)] public ulong? IntraRoundOffset { get; init; }

    [Id(6)] public DateTimeOffset? RoundTime { get; init; }

    [Id(7)] public byte[]? Group { get; init; }

    [Id(8)] public byte[]? Note { get; init; }

    [Id(9)] public ulong? ApplicationId { get; init; }

    /// <summary><c>noop</c>, <c>optin</c>, <c>closeout</c>, <c>clear</c>, <c>update</c> or <c>delete</c>.</summary>
    [Id(10)] public string? OnCompletion { get; init; }

    [Id(11)] public IReadOnlyList<byte[]> ApplicationArgs { get; init; } = [];

    [Id(12)] public IReadOnlyList<byte[]> Logs { get; init; } = [];

    [Id(13)] public IReadOnlyList<IndexerTransaction> InnerTransactions { get; init; } = [];

    [Id(14)] public ulong? PaymentAmount { get; init; }

    [Id(15)] public string? PaymentReceiver { get; init; }

    /// <summary>
    /// The approval program an application create or update installs; null on every other transaction. A follower
    /// needs it to tell which program an app runs from the transaction itself, without a later lookup that could
    /// already see a newer update.
    /// </summary>
    [Id(16)] public byte[]? ApprovalProgram { get; init; }

    /// <summary>The id an application create was given; null on every other transaction, where the id is still 0.</summary>
    [Id(17)] public ulong? CreatedApplicationId { get; init; }

    /// <summary>The asset an <c>axfer</c> moves (the indexer's <c>asset-transfer-transaction</c>); null on other types.</summary>
    [Id(18)] public ulong? AssetId { get; init; }

    /// <summary>Units an <c>axfer</c> moves to <see cref="AssetReceiver"/> (0 for an opt-in or a bare close-out).</summary>
    [Id(19)] public ulong? AssetAmount { get; init; }

    [Id(20)] public string? AssetReceiver { get; init; }

    /// <summary>The account a clawback takes the units from (the transfer's <c>asnd</c>); null on a holder's own transfer.</summary>
    [Id(21)] public string? AssetClawbackFrom { get; init; }

    /// <summary>Where a close-out sends the rest of the sender's holding; null when the holding is not closed.</summary>
    [Id(22)] public string? AssetCloseTo { get; init; }
}
