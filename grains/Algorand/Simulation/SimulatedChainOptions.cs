using System.ComponentModel.DataAnnotations;

namespace FanForge.Grains.Algorand.Simulation;

/// <summary>
/// How the simulated ledger presents itself. The defaults impersonate TestNet so that a wallet (or the unchanged
/// frontend) that built its transactions from TestNet's real params is accepted as is.
/// </summary>
public sealed class SimulatedChainOptions
{
    public const string SectionName = "Algorand:Simulation";

    public const string TestNetGenesisId = "testnet-v1.0";

    public const string TestNetGenesisHash = "SGO1GKSzyE7IEPItTxCByw9x8FmnrCDexi9/cOUJOiI=";

    [Required]
    public string GenesisId { get; set; } = TestNetGenesisId;

    /// <summary>Base64 of 32 bytes.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9+/]{43}=$", ErrorMessage = "GenesisHash must be the base64 of 32 bytes.")]
    public string GenesisHash { get; set; } = TestNetGenesisHash;

    /// <summary>The last round before anything is submitted.</summary>
    [Range(typeof(ulong), "1", "18446744073709551615")]
    public ulong InitialRound { get; set; } = 1000;

    /// <summary>µAlgo per transaction, inner transactions included.</summary>
    [Range(typeof(ulong), "1", "1000000000")]
    public ulong MinFee { get; set; } = Fees.MinimumFee;

    /// <summary>
    /// µAlgo credited to an account the first time it sends anything; 0 turns this off. A development convenience, so
    /// a fresh wallet can tip without a faucet step.
    /// </summary>
    [Range(typeof(ulong), "0", "1000000000000")]
    public ulong AutoFundMicroAlgo { get; set; }

    /// <summary>The FanForge platform account; it starts with <see cref="PlatformInitialMicroAlgo"/> and funds <c>Fund</c>.</summary>
    public AlgorandAddress Platform { get; set; }

    [Range(typeof(ulong), "0", "10000000000000000")]
    public ulong PlatformInitialMicroAlgo { get; set; } = 1_000_000_000_000;

    /// <summary>
    /// Whether the ledger grain keeps its chain in grain storage (surviving silo loss and restarts, as a chain does) or
    /// only in memory (starting empty with the cluster). The silo defaults it by cluster provider: durable on
    /// PostgreSQL, in memory in the one-process development cluster, whose storage is memory anyway.
    /// </summary>
    public bool Durable { get; set; }
}
