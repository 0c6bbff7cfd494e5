namespace FanForge.Grains.Algorand.Clients;

/// <summary>What a new transaction needs from the node. <paramref name="FeePerByte"/> is usually 0; <paramref name="MinFee"/> is the real floor.</summary>
public sealed record TransactionParams(
    string ConsensusVersion,
    ulong FeePerByte,
    byte[] GenesisHash,
    string GenesisId,
    ulong LastRound,
    ulong MinFee);

/// <summary>
/// algod's view of a submitted transaction: confirmed (<see cref="IsConfirmed"/>), still in the pool, or kicked out
/// (<see cref="IsRejected"/>). The result fields appear only once it is confirmed.
/// </summary>
public sealed record PendingTransaction(
    string PoolError,
    ulong? ConfirmedRound,
    ulong? AssetIndex,
    ulong? ApplicationIndex,
    IReadOnlyList<byte[]> Logs,
    IReadOnlyList<PendingTransaction> InnerTransactions)
{
    public bool IsConfirmed => ConfirmedRound > 0;

    public bool IsRejected => PoolError.Length > 0;
}

/// <summary>Node progress; a large <paramref name="CatchupTime"/> means it is still syncing and its answers are stale.</summary>
public sealed record NodeStatus(ulong LastRound, TimeSpan TimeSinceLastRound, TimeSpan CatchupTime);

public sealed record AssetHolding(ulong AssetId, ulong Amount, bool IsFrozen);

/// <summary>An account as algod sees it (unknown accounts come back empty rather than missing).</summary>
public sealed record AccountInformation(
    string Address,
    ulong Amount,
    ulong MinBalance,
    IReadOnlyList<AssetHolding> Assets,
    string? AuthAddress,
    ulong Round);

public sealed record AssetInfoParams
{
    public required string Creator { get; init; }

    public required ulong Total { get; init; }

    public required ulong Decimals { get; init; }

    public bool DefaultFrozen { get; init; }

    public string? UnitName { get; init; }

    public string? Name { get; init; }

    public string? Url { get; init; }

    public byte[]? MetadataHash { get; init; }

    public string? Manager { get; init; }

    public string? Reserve { get; init; }

    public string? Freeze { get; init; }

    public string? Clawback { get; init; }
}

public sealed record AssetInfo(ulong Index, AssetInfoParams Params);

public enum TealValueType
{
    Bytes = 1,
    Uint = 2,
}

public sealed record TealValue(TealValueType Type, byte[] Bytes, ulong Uint);

public sealed record GlobalStateEntry(byte[] Key, TealValue Value);

public sealed record ApplicationInfo(ulong Id, string Creator, IReadOnlyList<GlobalStateEntry> GlobalState)
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
public sealed record CompiledTeal(string Hash, byte[] Result);
