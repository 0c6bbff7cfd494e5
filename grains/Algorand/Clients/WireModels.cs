using System.Text.Json.Serialization;

namespace FanForge.Grains.Algorand.Clients;

// The JSON shapes algod and the indexer send (their v2 REST APIs), kept apart from the public records so a field the
// node renames or adds touches only this file. byte[] is standard base64, System.Text.Json's default.

internal sealed class NodeErrorWire
{
    [JsonPropertyName("message")] public string? Message { get; set; }
}

internal sealed class TransactionParamsWire
{
    [JsonPropertyName("consensus-version")] public string ConsensusVersion { get; set; } = "";
    [JsonPropertyName("fee")] public ulong Fee { get; set; }
    [JsonPropertyName("genesis-hash")] public byte[] GenesisHash { get; set; } = [];
    [JsonPropertyName("genesis-id")] public string GenesisId { get; set; } = "";
    [JsonPropertyName("last-round")] public ulong LastRound { get; set; }
    [JsonPropertyName("min-fee")] public ulong MinFee { get; set; }
}

internal sealed class SubmitWire
{
    [JsonPropertyName("txId")] public string? TxId { get; set; }
}

internal sealed class PendingTransactionWire
{
    [JsonPropertyName("pool-error")] public string? PoolError { get; set; }
    [JsonPropertyName("confirmed-round")] public ulong? ConfirmedRound { get; set; }
    [JsonPropertyName("asset-index")] public ulong? AssetIndex { get; set; }
    [JsonPropertyName("application-index")] public ulong? ApplicationIndex { get; set; }
    [JsonPropertyName("logs")] public List<byte[]>? Logs { get; set; }
    [JsonPropertyName("inner-txns")] public List<PendingTransactionWire>? InnerTxns { get; set; }
}

internal sealed class NodeStatusWire
{
    [JsonPropertyName("last-round")] public ulong LastRound { get; set; }
    [JsonPropertyName("time-since-last-round")] public ulong TimeSinceLastRound { get; set; }
    [JsonPropertyName("catchup-time")] public ulong CatchupTime { get; set; }
}

internal sealed class AssetHoldingWire
{
    [JsonPropertyName("asset-id")] public ulong AssetId { get; set; }
    [JsonPropertyName("amount")] public ulong Amount { get; set; }
    [JsonPropertyName("is-frozen")] public bool IsFrozen { get; set; }
}

internal sealed class AccountWire
{
    [JsonPropertyName("address")] public string Address { get; set; } = "";
    [JsonPropertyName("amount")] public ulong Amount { get; set; }
    [JsonPropertyName("min-balance")] public ulong MinBalance { get; set; }
    [JsonPropertyName("round")] public ulong Round { get; set; }
    [JsonPropertyName("assets")] public List<AssetHoldingWire>? Assets { get; set; }
    [JsonPropertyName("auth-addr")] public string? AuthAddr { get; set; }
}

internal sealed class AccountAssetWire
{
    [JsonPropertyName("round")] public ulong Round { get; set; }
    [JsonPropertyName("asset-holding")] public AssetHoldingWire? AssetHolding { get; set; }
}

internal sealed class AssetParamsWire
{
    [JsonPropertyName("creator")] public string Creator { get; set; } = "";
    [JsonPropertyName("total")] public ulong Total { get; set; }
    [JsonPropertyName("decimals")] public ulong Decimals { get; set; }
    [JsonPropertyName("default-frozen")] public bool DefaultFrozen { get; set; }
    [JsonPropertyName("unit-name")] public string? UnitName { get; set; }
    [JsonPropertyName("unit-name-b64")] public byte[]? UnitNameB64 { get; set; }
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("name-b64")] public byte[]? NameB64 { get; set; }
    [JsonPropertyName("url")] public string? Url { get; set; }
    [JsonPropertyName("url-b64")] public byte[]? UrlB64 { get; set; }
    [JsonPropertyName("metadata-hash")] public byte[]? MetadataHash { get; set; }
    [JsonPropertyName("manager")] public string? Manager { get; set; }
    [JsonPropertyName("reserve")] public string? Reserve { get; set; }
    [JsonPropertyName("freeze")] public string? Freeze { get; set; }
    [JsonPropertyName("clawback")] public string? Clawback { get; set; }
}

internal sealed class AssetWire
{
    [JsonPropertyName("index")] public ulong Index { get; set; }
    [JsonPropertyName("params")] public AssetParamsWire? Params { get; set; }
}

internal sealed class TealValueWire
{
    [JsonPropertyName("type")] public int Type { get; set; }
    [JsonPropertyName("bytes")] public byte[]? Bytes { get; set; }
    [JsonPropertyName("uint")] public ulong Uint { get; set; }
}

internal sealed class TealKeyValueWire
{
    [JsonPropertyName("key")] public byte[] Key { get; set; } = [];
    [JsonPropertyName("value")] public TealValueWire? Value { get; set; }
}

internal sealed class ApplicationParamsWire
{
    [JsonPropertyName("creator")] public string Creator { get; set; } = "";
    [JsonPropertyName("global-state")] public List<TealKeyValueWire>? GlobalState { get; set; }
    [JsonPropertyName("approval-program")] public byte[] ApprovalProgram { get; set; } = [];
    [JsonPropertyName("clear-state-program")] public byte[] ClearStateProgram { get; set; } = [];
}

internal sealed class ApplicationWire
{
    [JsonPropertyName("id")] public ulong Id { get; set; }
    [JsonPropertyName("params")] public ApplicationParamsWire? Params { get; set; }
}

internal sealed class CompileWire
{
    [JsonPropertyName("hash")] public string Hash { get; set; } = "";
    [JsonPropertyName("result")] public byte[] Result { get; set; } = [];
}

internal sealed class IndexerApplicationWire
{
    [JsonPropertyName("application-id")] public ulong ApplicationId { get; set; }
    [JsonPropertyName("on-completion")] public string? OnCompletion { get; set; }
    [JsonPropertyName("application-args")] public List<byte[]>? ApplicationArgs { get; set; }
    [JsonPropertyName("approval-program")] public byte[]? ApprovalProgram { get; set; }
}

internal sealed class IndexerPaymentWire
{
    [JsonPropertyName("amount")] public ulong Amount { get; set; }
    [JsonPropertyName("receiver")] public string? Receiver { get; set; }
}

internal sealed class IndexerAssetTransferWire
{
    [JsonPropertyName("asset-id")] public ulong AssetId { get; set; }
    [JsonPropertyName("amount")] public ulong Amount { get; set; }
    [JsonPropertyName("receiver")] public string? Receiver { get; set; }

    /// <summary>Set only on a clawback: the account the units are taken from.</summary>
    [JsonPropertyName("sender")] public string? Sender { get; set; }
    [JsonPropertyName("close-to")] public string? CloseTo { get; set; }
}

internal sealed class IndexerTransactionWire
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("tx-type")] public string TxType { get; set; } = "";
    [JsonPropertyName("sender")] public string Sender { get; set; } = "";
    [JsonPropertyName("fee")] public ulong Fee { get; set; }
    [JsonPropertyName("confirmed-round")] public ulong? ConfirmedRound { get; set; }
    [JsonPropertyName("intra-round-offset")] public ulong? IntraRoundOffset { get; set; }
    [JsonPropertyName("round-time")] public long? RoundTime { get; set; }
    [JsonPropertyName("group")] public byte[]? Group { get; set; }
    [JsonPropertyName("note")] public byte[]? Note { get; set; }
    [JsonPropertyName("application-transaction")] public IndexerApplicationWire? ApplicationTransaction { get; set; }
    [JsonPropertyName("payment-transaction")] public IndexerPaymentWire? PaymentTransaction { get; set; }
    [JsonPropertyName("asset-transfer-transaction")] public IndexerAssetTransferWire? AssetTransferTransaction { get; set; }
    [JsonPropertyName("created-application-index")] public ulong? CreatedApplicationIndex { get; set; }
    [JsonPropertyName("logs")] public List<byte[]>? Logs { get; set; }
    [JsonPropertyName("inner-txns")] public List<IndexerTransactionWire>? InnerTxns { get; set; }
}

internal sealed class IndexerTransactionsWire
{
    [JsonPropertyName("current-round")] public ulong CurrentRound { get; set; }
    [JsonPropertyName("next-token")] public string? NextToken { get; set; }
    [JsonPropertyName("transactions")] public List<IndexerTransactionWire>? Transactions { get; set; }
}

internal sealed class IndexerLookupWire
{
    [JsonPropertyName("current-round")] public ulong CurrentRound { get; set; }
    [JsonPropertyName("transaction")] public IndexerTransactionWire? Transaction { get; set; }
}

internal sealed class IndexerHealthWire
{
    [JsonPropertyName("round")] public ulong Round { get; set; }
}

[JsonSerializable(typeof(NodeErrorWire))]
[JsonSerializable(typeof(TransactionParamsWire))]
[JsonSerializable(typeof(SubmitWire))]
[JsonSerializable(typeof(PendingTransactionWire))]
[JsonSerializable(typeof(NodeStatusWire))]
[JsonSerializable(typeof(AccountWire))]
[JsonSerializable(typeof(AccountAssetWire))]
[JsonSerializable(typeof(AssetWire))]
[JsonSerializable(typeof(ApplicationWire))]
[JsonSerializable(typeof(CompileWire))]
[JsonSerializable(typeof(IndexerTransactionsWire))]
[JsonSerializable(typeof(IndexerLookupWire))]
[JsonSerializable(typeof(IndexerHealthWire))]
internal sealed partial class AlgorandWireJson : JsonSerializerContext;
