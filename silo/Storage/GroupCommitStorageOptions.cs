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

    /// <summary>Set by the registration from <c>ConnectionStrings:Postgres</c>, not bound; a secret, never logged.</summary>
    [Required]
    public string? ConnectionString { get; set; }
}
