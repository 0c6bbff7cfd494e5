using FanForge.GrainInterfaces.Nfts;

namespace FanForge.Grains.Algorand.Clients;

/// <summary>What a new transaction needs from the node. <paramref name="FeePerByte"/> is usually 0; <paramref name="MinFee"/> is the real floor.</summary>
[GenerateSerializer, Immutable, Alias("ff.algod.TransactionParams")]
public sealed record TransactionParams(
    [property: Id(0)] string ConsensusVersion,
    [property: Id(1)] ulong FeePerByte,
    [property: Id(2)] byte[] GenesisHash,
    [property: Id(3)] string GenesisId,
    [property: Id(4)] ulong LastRound,
    [property: Id(5)] ulong MinFee)
{
    /// <summary>The node's parameters as a grain reported them, in the form transaction builders take (the API builds unsigned transactions).</summary>
    public static TransactionParams From(ChainParams chain) =>
        new("", chain.FeePerByte, chain.GenesisHash, chain.GenesisId, chain.LastRound, chain.MinFee);
}

/// <summary>
/// algod's view of a submitted transaction: confirmed (<see cref="IsConfirmed"/>), still in the pool, or kicked out
/// (<see cref="IsRejected"/>). The result fields appear only once it is confirmed.
/// </summary>
[GenerateSerializer, Immutable, Alias("ff.algod.PendingTransaction")]
public sealed record PendingTransaction(
    [property: Id(0)] string PoolError,
    [property: Id(1)] ulong? ConfirmedRound,
    [property: Id(2)] ulong? AssetIndex,
    [property: Id(3)] ulong? ApplicationIndex,
    [property: Id(4)] IReadOnlyList<byte[]> Logs,
    [property: Id(5)] IReadOnlyList<PendingTransaction> InnerTransactions)
{
    public bool IsConfirmed => ConfirmedRound > 0;

    public bool IsRejected => PoolError.Length > 0;
}

/// <summary>Node progress; a large <paramref name="CatchupTime"/> means it is still syncing and its answers are stale.</summary>
[GenerateSerializer, Immutable, Alias("ff.algod.NodeStatus")]
public sealed record NodeStatus([property: Id(0)] ulong LastRound, [property: Id(1)] TimeSpan TimeSinceLastRound, [property: Id(2)] TimeSpan CatchupTime);

[GenerateSerializer, Immutable, Alias("ff.algod.AssetHolding")]
public sealed record AssetHolding([property: Id(0)] ulong AssetId, [property: Id(1)] ulong Amount, [property: Id(2)] bool IsFrozen);

/// <summary>An account as algod sees it (unknown accounts come back empty rather than missing).</summary>
[GenerateSerializer, Immutable, Alias("ff.algod.AccountInformation")]
public sealed record AccountInformation(
    [property: Id(0)] string Address,
    [property: Id(1)] ulong Amount,
    [property: Id(2)] ulong MinBalance,
    [property: Id(3)] IReadOnlyList<AssetHolding> Assets,
    [property: Id(4)] string? AuthAddress,
    [property: Id(5)] ulong Round);

[GenerateSerializer, Immutable, Alias("ff.algod.AssetInfoParams")]
public sealed record AssetInfoParams
{
    [Id(0)] public required string Creator { get; init; }

    [Id(1)] public required ulong Total { get; init; }

    [Id(2)] public required ulong Decimals { get; init; }

    [Id(3)] public bool DefaultFrozen { get; init; }

    [Id(4)] public string? UnitName { get; init; }

    [Id(5)] public string? Name { get; init; }

    [Id(6)] public string? Url { get; init; }

    [Id(7)] public byte[]? MetadataHash { get; init; }

    [Id(8)] public string? Manager { get; init; }

    [Id(9)] public string? Reserve { get; init; }

    [Id(10)] public string? Freeze { get; init; }

    [Id(11)] public string? Clawback { get; init; }
}

[GenerateSerializer, Immutable, Alias("ff.algod.AssetInfo")]
public sealed record AssetInfo([property: Id(0)] ulong Index, [property: Id(1)] AssetInfoParams Params);

[GenerateSerializer, Alias("ff.algod.TealValueType")]
public enum TealValueType
{
    Bytes = 1,
    Uint = 2,
}

[GenerateSerializer, Immutable, Alias("ff.algod.TealValue")]
public sealed record TealValue([property: Id(0)] TealValueType Type, [property: Id(1)] byte[] Bytes, [property: Id(2)] ulong Uint);

[GenerateSerializer, Immutable, Alias("ff.algod.GlobalStateEntry")]
public sealed record GlobalStateEntry([property: Id(0)] byte[] Key, [property: Id(1)] TealValue Value);

/// <summary>An app as algod serves it: its deployer (<paramref name="Creator"/>), global state and current programs.</summary>
[GenerateSerializer, Immutable, Alias("ff.algod.ApplicationInfo")]
public sealed record ApplicationInfo(
    [property: Id(0)] ulong Id,
    [property: Id(1)] string Creator,
    [property: Id(2)] IReadOnlyList<GlobalStateEntry> GlobalState,
    [property: Id(3)] byte[] ApprovalProgram,
    [property: Id(4)] byte[] ClearStateProgram)
{
    /// <summary>Global state keys are raw bytes, usually ASCII names written by the contract.</summary>
    public TealValue? FindGlobal(ReadOnlySpan<byte> key)
    {
        foreach (var entry in GlobalState)
        {
            if (key.SequenceEqual(entry.Key))
            {
                return entry.Value;
            }
        }

        return null;
    }
}

/// <summary><paramref name="Hash"/> is the program's escrow address; <paramref name="Result"/> the bytecode.</summary>
[GenerateSerializer, Immutable, Alias("ff.algod.CompiledTeal")]
public sealed record CompiledTeal([property: Id(0)] string Hash, [property: Id(1)] byte[] Result);
