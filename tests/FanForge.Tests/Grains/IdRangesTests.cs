using FanForge.Grains;

namespace FanForge.Tests.Grains;

public sealed class IdRangesTests
{
    [Fact]
    public void Behaves_as_a_set_of_ids_for_any_order_of_additions()
    {
        var random = new Random(42);
        var ranges = new IdRanges();
        var reference = new HashSet<long>();
        for (var i = 0; i < 5000; i++)
        {
            var id = random.Next(0, 3000);
            Assert.Equal(reference.Add(id), ranges.Add(id));
        }

        Assert.Equal(reference.Count, ranges.Count);
        for (var id = -5L; id < 3005; id++)
        {
            Assert.Equal(reference.Contains(id), ranges.Contains(id));
        }

        // Disjoint, ascending, never adjacent (adjacent ranges are merged).
        for (var i = 2; i < ranges.Bounds.Count; i += 2)
        {
            Assert.True(ranges.Bounds[i] > ranges.Bounds[i - 1] + 1);
        }
    }

    [Fact]
    public void Ids_added_nearly_in_order_stay_a_few_ranges()
    {
        var ranges = new IdRanges();
        // Blocks handed out by sequences on two silos, interleaved and slightly out of order.
        foreach (var id in Enumerable.Range(0, 10_000).Select(i => (long)((i % 2 == 0 ? 0 : 100_000) + (i / 2))).OrderBy(i => i % 7))
        {
            ranges.Add(id);
        }

        Assert.Equal(10_000, ranges.Count);
        Assert.Equal(4, ranges.Bounds.Count); // two ranges: [0, 4999] and [100000, 104999]
        Assert.Equal([0L, 4999L, 100_000L, 104_999L], ranges.Bounds);
    }
}
