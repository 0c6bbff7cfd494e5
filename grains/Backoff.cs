namespace FanForge.Grains;

/// <summary>Retry waits that double after each failure in a row, pure: one schedule for every grain that retries.</summary>
public static class Backoff
{
    /// <summary>
    /// The wait after <paramref name="failures"/> failures in a row: <paramref name="first"/> doubled per further
    /// failure, never more than <paramref name="max"/>. Doubling stops at the cap, so a long failing streak never overflows.
    /// </summary>
    public static TimeSpan Doubling(TimeSpan first, TimeSpan max, int failures)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failures, 1);
        var delay = first;
        for (var n = 1; n < failures && delay < max; n++)
        {
            delay += delay;
        }

        return delay < max ? delay : max;
    }
}
