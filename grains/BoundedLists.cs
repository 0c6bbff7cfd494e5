namespace FanForge.Grains;

/// <summary>
/// The two ways grain state keeps a bounded list, so state never grows with traffic: a window of the latest entries
/// in arrival order (oldest dropped from the front), or a newest-first list (oldest dropped from the end).
/// </summary>
public static class BoundedLists
{
    /// <summary>Appends <paramref name="item"/> and drops the oldest entries from the front beyond <paramref name="capacity"/>.</summary>
    public static void AddKeepingLatest<T>(this List<T> list, T item, int capacity)
    {
        list.Add(item);
        if (list.Count > capacity)
        {
            list.RemoveRange(0, list.Count - capacity);
        }
    }

    /// <summary>
    /// Puts <paramref name="newestFirst"/> in front (newest first) and drops the oldest entries from the end beyond
    /// <paramref name="capacity"/>.
    /// </summary>
    public static void PrependKeepingNewest<T>(this List<T> list, IEnumerable<T> newestFirst, int capacity)
    {
        list.InsertRange(0, newestFirst.Take(capacity));
        list.TrimTo(capacity);
    }

    /// <summary>Keeps the first <paramref name="capacity"/> entries of an ordered list (newest or best first).</summary>
    public static void TrimTo<T>(this List<T> list, int capacity)
    {
        if (list.Count > capacity)
        {
            list.RemoveRange(capacity, list.Count - capacity);
        }
    }
}
