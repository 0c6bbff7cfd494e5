namespace FanForge.GrainInterfaces.Sequences;

/// <summary>
/// Hands out blocks of integer ids for one sequence (products, orders, templates …). Ids are unique across all
/// silos because one activation owns the counter; callers cache a block and spend it locally.
/// </summary>
[Alias("ff.IIdSequence")]
public interface IIdSequence : IGrainWithStringKey
{
    /// <summary>
    /// Reserves <paramref name="count"/> consecutive ids. Not idempotent by design: a retry reserves a fresh
    /// block and the unused one is skipped, which leaves a gap but never a duplicate.
    /// </summary>
    [Alias("Reserve")]
    Task<IdBlock> ReserveAsync(int count);

    /// <summary>The next id that would be handed out (for diagnostics and tests).</summary>
    [Alias("Peek")]
    Task<long> PeekAsync();
}

/// <summary>A block of consecutive ids <c>[First, First + Count)</c>.</summary>
[GenerateSerializer, Immutable, Alias("ff.IdBlock")]
public sealed record IdBlock([property: Id(0)] long First, [property: Id(1)] int Count)
{
    /// <summary>The last id in the block.</summary>
    public long Last => First + Count - 1;
}
