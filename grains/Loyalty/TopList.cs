using FanForge.GrainInterfaces.Loyalty;

namespace FanForge.Grains.Loyalty;

/// <summary>
/// A bounded ranking kept incrementally. Exact as long as scores only grow: an entry that falls off the end scored no
/// more than every kept entry, and it comes back with its new absolute score the next time it grows.
/// </summary>
public static class TopList
{
    /// <summary>Replaces the entry with <paramref name="item"/>'s key by <paramref name="item"/>, re-ranks and trims.</summary>
    public static void Upsert<T>(List<T> ranking, T item, Func<T, string> key, IComparer<T> order, int capacity)
    {
        var itemKey = key(item);
        ranking.RemoveAll(existing => string.Equals(key(existing), itemKey, StringComparison.Ordinal));
        var index = ranking.BinarySearch(item, order);
        ranking.Insert(index < 0 ? ~index : index, item);
        ranking.TrimTo(capacity);
    }
}

/// <summary>The orders the leaderboards rank by; ties fall back to the key so the order is total and stable.</summary>
public static class Rankings
{
    /// <summary>Everything paid, highest first (the prototype's <c>/leaderboard/{creator}</c>).</summary>
    public static readonly IComparer<FanStanding> ByVolume = Comparer<FanStanding>.Create((a, b) =>
        b.PaymentMicroAlgo.CompareTo(a.PaymentMicroAlgo) is var c and not 0 ? c : string.CompareOrdinal(a.Fan, b.Fan));

    /// <summary>Butki badges, then Butki volume, highest first (the prototype's Butki leaderboard).</summary>
    public static readonly IComparer<FanStanding> ByBadges = Comparer<FanStanding>.Create((a, b) =>
        b.BadgesEarned.CompareTo(a.BadgesEarned) is var c and not 0 ? c
        : b.ButkiMicroAlgo.CompareTo(a.ButkiMicroAlgo) is var v and not 0 ? v
        : string.CompareOrdinal(a.Fan, b.Fan));

    /// <summary>ALGO received, highest first (the global top creators).</summary>
    public static readonly IComparer<CreatorStanding> CreatorsByVolume = Comparer<CreatorStanding>.Create((a, b) =>
        b.PaymentMicroAlgo.CompareTo(a.PaymentMicroAlgo) is var c and not 0 ? c : string.CompareOrdinal(a.Creator, b.Creator));
}
