using FanForge.Grains;

namespace FanForge.Tests.Grains;

public sealed class BoundedListsTests
{
    [Fact]
    public void A_window_keeps_the_latest_entries_in_arrival_order()
    {
        var window = new List<int>();
        foreach (var i in Enumerable.Range(1, 7))
        {
            window.AddKeepingLatest(i, 3);
        }

        Assert.Equal([5, 6, 7], window);
    }

    [Fact]
    public void A_newest_first_list_keeps_the_newest_entries_in_front()
    {
        var recent = new List<int> { 3, 2, 1 };
        recent.PrependKeepingNewest([6, 5, 4], 4);
        Assert.Equal([6, 5, 4, 3], recent);

        recent.PrependKeepingNewest([12, 11, 10, 9, 8, 7], 4);
        Assert.Equal([12, 11, 10, 9], recent);

        recent.TrimTo(2);
        Assert.Equal([12, 11], recent);
        recent.TrimTo(5);
        Assert.Equal([12, 11], recent);
    }
}
