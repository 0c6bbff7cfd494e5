namespace FanForge.Grains;

/// <summary>
/// A set of ids kept as sorted, disjoint, non-adjacent ranges. Ids handed out by a sequence arrive nearly in order,
/// so a set of every order a creator ever sold stays a handful of ranges instead of growing (and being rewritten
/// whole) with every order.
/// </summary>
[GenerateSerializer, Alias("ff.IdRanges")]
public sealed class IdRanges
{
    /// <summary>Range starts and ends (inclusive), pairwise: [s0, e0, s1, e1, …], ascending.</summary>
    [Id(0)] public List<long> Bounds { get; set; } = [];

    /// <summary>Ids in the set.</summary>
    [Id(1)] public long Count { get; set; }

    public bool Contains(long id)
    {
        var i = RangeAtOrBefore(id);
        return i >= 0 && id <= Bounds[(2 * i) + 1];
    }

    /// <summary>Adds <paramref name="id"/>; false if it was already there.</summary>
    public bool Add(long id)
    {
        var i = RangeAtOrBefore(id);
        if (i >= 0 && id <= Bounds[(2 * i) + 1])
        {
            return false;
        }

        var joinsLeft = i >= 0 && Bounds[(2 * i) + 1] == id - 1;
        var next = i + 1;
        var joinsRight = next < Bounds.Count / 2 && Bounds[2 * next] == id + 1;
        if (joinsLeft && joinsRight)
        {
            Bounds[(2 * i) + 1] = Bounds[(2 * next) + 1];
            Bounds.RemoveRange(2 * next, 2);
        }
        else if (joinsLeft)
        {
            Bounds[(2 * i) + 1] = id;
        }
        else if (joinsRight)
        {
            Bounds[2 * next] = id;
        }
        else
        {
            Bounds.InsertRange(2 * next, [id, id]);
        }

        Count++;
        return true;
    }

    /// <summary>The index of the last range starting at or before <paramref name="id"/>, or -1.</summary>
    private int RangeAtOrBefore(long id)
    {
        int low = 0, high = (Bounds.Count / 2) - 1, found = -1;
        while (low <= high)
        {
            var mid = (low + high) / 2;
            if (Bounds[2 * mid] <= id)
            {
                found = mid;
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }

        return found;
    }
}
