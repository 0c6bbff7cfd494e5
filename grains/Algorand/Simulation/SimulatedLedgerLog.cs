using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace FanForge.Grains.Algorand.Simulation;

/// <summary>
/// The chain's genesis as first created: a replay must start from the same accounts, fees and rounds. Written once.
/// </summary>
[GenerateSerializer, Alias("ff.sim.LedgerHead")]
public sealed class SimulatedLedgerHead
{
    [Id(0)] public string GenesisId { get; set; } = "";
    [Id(1)] public string GenesisHash { get; set; } = "";
    [Id(2)] public ulong InitialRound { get; set; }
    [Id(3)] public ulong MinFee { get; set; }
    [Id(4)] public ulong AutoFundMicroAlgo { get; set; }
    [Id(5)] public string Platform { get; set; } = "";
    [Id(6)] public ulong PlatformInitialMicroAlgo { get; set; }
    [Id(7)] public DateTimeOffset GenesisTime { get; set; }

    public static SimulatedLedgerHead From(SimulatedChainOptions options, DateTimeOffset genesisTime) => new()
    {
        GenesisId = options.GenesisId,
        GenesisHash = options.GenesisHash,
        InitialRound = options.InitialRound,
        MinFee = options.MinFee,
        AutoFundMicroAlgo = options.AutoFundMicroAlgo,
        Platform = options.Platform.ToString(),
        PlatformInitialMicroAlgo = options.PlatformInitialMicroAlgo,
        GenesisTime = genesisTime,
    };

    public SimulatedChainOptions ToOptions() => new()
    {
        GenesisId = GenesisId,
        GenesisHash = GenesisHash,
        InitialRound = InitialRound,
        MinFee = MinFee,
        AutoFundMicroAlgo = AutoFundMicroAlgo,
        Platform = AlgorandAddress.Parse(Platform),
        PlatformInitialMicroAlgo = PlatformInitialMicroAlgo,
    };

    /// <summary>Whether <paramref name="options"/> describe this genesis (the time aside).</summary>
    public bool Matches(SimulatedChainOptions options)
    {
        var configured = From(options, GenesisTime);
        return (configured.GenesisId, configured.GenesisHash, configured.InitialRound, configured.MinFee, configured.AutoFundMicroAlgo,
                configured.Platform, configured.PlatformInitialMicroAlgo)
            == (GenesisId, GenesisHash, InitialRound, MinFee, AutoFundMicroAlgo, Platform, PlatformInitialMicroAlgo);
    }
}

/// <summary>Up to <see cref="SimulatedLedgerLog.ChunkSize"/> consecutive entries of the log.</summary>
[GenerateSerializer, Alias("ff.sim.LedgerChunk")]
public sealed class SimulatedLedgerChunk
{
    [Id(0)] public List<LedgerEntry> Entries { get; set; } = [];
}

/// <summary>
/// A <see cref="SimulatedChain"/> kept in grain storage as an append-only log: a head state with the genesis, and
/// the accepted entries in numbered chunk states of <see cref="ChunkSize"/>. Appending rewrites only the last chunk,
/// so a write costs the same after a million submissions as after ten; the chain is rebuilt by replaying every
/// chunk in order when the ledger activates.
/// </summary>
/// <remarks>
/// State names are the row identity in the ADO.NET table layout, so the names below are persisted identity: keep them.
/// Every state carries its ETag, so a second activation of the ledger (a silo presumed dead that is not) fails its
/// next append with a conflict instead of forking the chain.
/// </remarks>
public sealed class SimulatedLedgerLog
{
    /// <summary>
    /// Entries per chunk. Each append rewrites its chunk (on average half full), and activation reads one state per
    /// chunk: 64 keeps an append near 20 KB of tips and a million submissions near 16,000 reads.
    /// </summary>
    public const int ChunkSize = 64;

    private const string HeadState = "simulated-ledger";

    private readonly IGrainStorage storage;
    private readonly GrainId grain;
    private GrainState<SimulatedLedgerChunk> tail;
    private long tailIndex;

    private SimulatedLedgerLog(IGrainStorage storage, GrainId grain, GrainState<SimulatedLedgerChunk> tail, long tailIndex)
    {
        this.storage = storage;
        this.grain = grain;
        this.tail = tail;
        this.tailIndex = tailIndex;
    }

    /// <summary>Entries stored so far.</summary>
    public long Count => (tailIndex * ChunkSize) + Entries(tail).Count;

    /// <summary>
    /// Rebuilds the chain stored for <paramref name="grain"/>, or creates (and stores) the genesis of a new one from
    /// <paramref name="configured"/>. A stored chain keeps the genesis it was created with: configuration that now
    /// says otherwise is reported, not applied, because the recorded transactions only replay on their own genesis.
    /// </summary>
    public static async Task<(SimulatedChain Chain, SimulatedLedgerLog Log)> LoadAsync(
        IGrainStorage storage, GrainId grain, SimulatedChainOptions configured, TimeProvider time, ILogger logger)
    {
        var head = new GrainState<SimulatedLedgerHead>(new SimulatedLedgerHead());
        await storage.ReadStateAsync(HeadState, grain, head);
        if (!head.RecordExists)
        {
            head.State = SimulatedLedgerHead.From(configured, time.GetUtcNow());
            await storage.WriteStateAsync(HeadState, grain, head);
        }

        var genesis = head.State ?? throw new InvalidOperationException("The simulated ledger's head state read back as null.");
        if (!genesis.Matches(configured))
        {
            logger.LogWarning(
                "The stored simulated ledger was created with other settings (genesis {GenesisId}, platform {Platform}) than configured now; " +
                "it keeps its own. Clear the simulated-ledger rows of this service to start a new chain.",
                genesis.GenesisId, genesis.Platform);
        }

        var chain = new SimulatedChain(genesis.ToOptions(), time, genesis.GenesisTime);
        var index = 0L;
        var next = ReadChunkAsync(storage, grain, index);
        while (true)
        {
            var chunk = await next;
            var entries = Entries(chunk);
            var full = entries.Count >= ChunkSize;
            if (full)
            {
                // Read the next chunk while this one replays.
                next = ReadChunkAsync(storage, grain, index + 1);
            }

            foreach (var entry in entries)
            {
                chain.Replay(entry);
            }

            if (!full)
            {
                return (chain, new SimulatedLedgerLog(storage, grain, chunk, index));
            }

            index++;
        }
    }

    /// <summary>Stores <paramref name="entry"/> after the others; when this returns, the entry is durable.</summary>
    public async Task AppendAsync(LedgerEntry entry)
    {
        Entries(tail).Add(entry);
        await storage.WriteStateAsync(ChunkName(tailIndex), grain, tail);
        if (Entries(tail).Count >= ChunkSize)
        {
            tailIndex++;
            tail = new GrainState<SimulatedLedgerChunk>(new SimulatedLedgerChunk());
        }
    }

    private static string ChunkName(long index) => FormattableString.Invariant($"simulated-ledger-log-{index}");

    private static async Task<GrainState<SimulatedLedgerChunk>> ReadChunkAsync(IGrainStorage storage, GrainId grain, long index)
    {
        var chunk = new GrainState<SimulatedLedgerChunk>(new SimulatedLedgerChunk());
        await storage.ReadStateAsync(ChunkName(index), grain, chunk);
        return chunk;
    }

    /// <summary>The chunk's entries; a chunk never written (or stored without entries) has none.</summary>
    private static List<LedgerEntry> Entries(GrainState<SimulatedLedgerChunk> chunk)
    {
        chunk.State ??= new SimulatedLedgerChunk();
        return chunk.State.Entries ??= [];
    }
}
