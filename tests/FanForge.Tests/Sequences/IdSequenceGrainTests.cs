using FanForge.GrainInterfaces.Errors;
using FanForge.GrainInterfaces.Sequences;
using FanForge.Tests.Infrastructure;

namespace FanForge.Tests.Sequences;

[Collection(ClusterCollection.Name)]
public sealed class IdSequenceGrainTests(InProcessClusterFixture fixture)
{
    private IIdSequence NewSequence() => fixture.Client.GetGrain<IIdSequence>("test-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task IdSequence_hands_out_consecutive_blocks_starting_at_one()
    {
        var sequence = NewSequence();

        var first = await sequence.ReserveAsync(3);
        var second = await sequence.ReserveAsync(2);

        Assert.Equal(new IdBlock(1, 3), first);
        Assert.Equal(3, first.Last);
        Assert.Equal(new IdBlock(4, 2), second);
        Assert.Equal(6, await sequence.PeekAsync());
    }

    [Fact]
    public async Task IdSequence_never_hands_out_an_id_twice_under_concurrent_callers()
    {
        var sequence = NewSequence();

        var blocks = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => sequence.ReserveAsync(1 + (i % 7))));

        var ids = blocks.SelectMany(b => Enumerable.Range(0, b.Count).Select(i => b.First + i)).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(Enumerable.Range(1, ids.Count).Select(i => (long)i), ids.Order());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(10_001)]
    public async Task IdSequence_rejects_a_block_size_out_of_range_and_changes_nothing(int count)
    {
        var sequence = NewSequence();

        var error = await Assert.ThrowsAsync<DomainException>(() => sequence.ReserveAsync(count));

        Assert.Equal(DomainErrorKind.Validation, error.Kind);
        Assert.Equal(ErrorCodes.InvalidArgument, error.Code);
        Assert.Equal(1, await sequence.PeekAsync());
    }

    [Fact]
    public async Task IdSequence_keeps_its_counter_across_deactivation()
    {
        var sequence = NewSequence();
        await sequence.ReserveAsync(41);

        await fixture.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        Assert.Equal(new IdBlock(42, 1), await sequence.ReserveAsync(1));
    }
}
