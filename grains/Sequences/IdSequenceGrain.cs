using FanForge.GrainInterfaces.Errors;
using FanForge.GrainInterfaces.Sequences;

namespace FanForge.Grains.Sequences;

[GenerateSerializer, Alias("ff.IdSequenceState")]
public sealed class IdSequenceState
{
    /// <summary>Next id to hand out; ids start at 1 because the prototype's integer ids do.</summary>
    [Id(0)]
    public long Next { get; set; } = 1;
}

[GrainType("ff.sequence")]
public sealed class IdSequenceGrain(
    [PersistentState("sequence", StorageNames.Default)] IPersistentState<IdSequenceState> state)
    : Grain, IIdSequence
{
    internal const int MaxBlock = 10_000;

    public async Task<IdBlock> ReserveAsync(int count)
    {
        if (count is < 1 or > MaxBlock)
        {
            throw DomainException.Invalid(ErrorCodes.InvalidArgument, $"Block size must be between 1 and {MaxBlock}.");
        }

        var block = new IdBlock(state.State.Next, count);
        state.State.Next += count;
        // The block is only handed out once the new high-water mark is durable, so a crash can skip ids but
        // never hand the same id out twice.
        await state.WriteStateAsync();
        return block;
    }

    public Task<long> PeekAsync() => Task.FromResult(state.State.Next);
}
