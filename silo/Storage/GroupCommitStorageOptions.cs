using System.ComponentModel.DataAnnotations;

namespace FanForge.Silo.Storage;

/// <summary>Tuning of <see cref="PostgresGroupCommitStorage"/>, section <c>Storage:GroupCommit</c>.</summary>
public sealed class GroupCommitStorageOptions
{
    public const string SectionName = "Storage:GroupCommit";

    /// <summary>
    /// Most writes committed by one transaction. Bounds the statement a slow batch holds row locks for and the
    /// latency a write queued behind a full batch waits; 256 already amortises the WAL flush almost completely.
    /// </summary>
    [Range(1, 4096)]
    public int MaxBatchSize { get; set; } = 256;

    /// <summary>
    /// Connections reading grain state at once, each sending every activation read queued so far in one round trip
    /// (up to <see cref="MaxBatchSize"/>). A few suffice: more only add server processes competing for the same cores.
    /// </summary>
    [Range(1, 64)]
    public int ReadConnections { get; set; } = 4;

    /// <summary>Set by the registration from <c>ConnectionStrings:Postgres</c>, not bound; a secret, never logged.</summary>
    [Required]
    public string? ConnectionString { get; set; }
}
