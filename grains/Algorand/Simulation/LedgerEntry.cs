namespace FanForge.Grains.Algorand.Simulation;

/// <summary>What changed the simulated chain. Stored as a number: keep the values.</summary>
[GenerateSerializer, Alias("ff.sim.LedgerEntryKind")]
public enum LedgerEntryKind
{
    /// <summary>A signed group the chain accepted (<see cref="LedgerEntry.Signed"/>).</summary>
    Submit = 0,

    /// <summary>A faucet payment from the platform account to <see cref="LedgerEntry.Receiver"/>.</summary>
    Fund = 1,

    /// <summary><see cref="LedgerEntry.Amount"/> empty rounds.</summary>
    AdvanceRounds = 2,
}

/// <summary>
/// One accepted change of a <see cref="SimulatedChain"/>, with everything a replay needs to repeat it exactly: the
/// input, the round it landed in and the time it was made (reads seal rounds and the clock moves, and neither is
/// part of the input). <see cref="TxId"/> and <see cref="Offset"/> are what the replay must reproduce, a check that
/// the log and the chain still agree.
/// </summary>
[GenerateSerializer, Alias("ff.sim.LedgerEntry")]
public sealed class LedgerEntry
{
    [Id(0)] public LedgerEntryKind Kind { get; set; }

    /// <summary><see cref="LedgerEntryKind.Submit"/>: the signed transactions exactly as submitted.</summary>
    [Id(1)] public byte[]? Signed { get; set; }

    /// <summary><see cref="LedgerEntryKind.Fund"/>: the funded address.</summary>
    [Id(2)] public string? Receiver { get; set; }

    /// <summary>µAlgo funded, or the number of rounds advanced.</summary>
    [Id(3)] public ulong Amount { get; set; }

    /// <summary>The first member's txid (none for advanced rounds).</summary>
    [Id(4)] public string? TxId { get; set; }

    /// <summary>The round the transactions landed in; for advanced rounds, the last round afterwards.</summary>
    [Id(5)] public ulong Round { get; set; }

    /// <summary>The intra-round offset of the first transaction.</summary>
    [Id(6)] public ulong Offset { get; set; }

    [Id(7)] public DateTimeOffset Time { get; set; }

    internal static LedgerEntry Submitted(byte[] signed, string txId, ulong round, ulong offset, DateTimeOffset time) =>
        new() { Kind = LedgerEntryKind.Submit, Signed = signed, TxId = txId, Round = round, Offset = offset, Time = time };

    internal static LedgerEntry Funded(AlgorandAddress receiver, ulong microAlgo, string txId, ulong round, ulong offset, DateTimeOffset time) =>
        new() { Kind = LedgerEntryKind.Fund, Receiver = receiver.ToString(), Amount = microAlgo, TxId = txId, Round = round, Offset = offset, Time = time };

    internal static LedgerEntry Advanced(ulong count, ulong lastRound, DateTimeOffset time) =>
        new() { Kind = LedgerEntryKind.AdvanceRounds, Amount = count, Round = lastRound, Time = time };
}
