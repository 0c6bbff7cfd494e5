using FanForge.GrainInterfaces.Loyalty;

namespace FanForge.Benchmarks;

/// <summary>Payments fed straight into a creator's journal, as the chain follower hands them over.</summary>
internal static class Journals
{
    /// <summary>Journals <paramref name="payments"/> and returns once every consumer has taken them.</summary>
    public static async Task<int> ApplyAsync(this ICreatorPayments journal, IReadOnlyList<ChainTip> payments)
    {
        var appended = await journal.AppendAsync(payments);
        while (true)
        {
            var summary = await journal.GetSummaryAsync();
            if (summary.Pending == 0)
            {
                return appended;
            }

            if (summary.Parked is { Count: > 0 } parked)
            {
                throw new InvalidOperationException($"parked: {parked[0].Consumer}: {parked[0].Reason}");
            }

            await Task.Delay(5);
        }
    }
}
