using FanForge.GrainInterfaces.Loyalty;

namespace FanForge.Tests.Infrastructure;

/// <summary>Tests that feed payments straight into a creator's journal, as the chain follower does.</summary>
public static class JournalExtensions
{
    /// <summary>
    /// Journals <paramref name="payments"/> and returns once every consumer has taken them (the journal delivers in
    /// the background), so the test can read the pairs, memberships and orders. Fails if a consumer parks a payment.
    /// </summary>
    public static async Task<int> ApplyAsync(this ICreatorPayments journal, IReadOnlyList<ChainTip> payments)
    {
        var appended = await journal.AppendAsync(payments);
        var summary = await ClusterHosts.EventuallyAsync(
            journal.GetSummaryAsync, s => s.Pending == 0 || s.Parked is { Count: > 0 }, TimeSpan.FromSeconds(20), "the journal's deliveries");
        Assert.True(summary.Pending == 0, $"parked: {string.Join("; ", summary.Parked!.Select(p => $"{p.Consumer}: {p.Reason}"))}");
        return appended;
    }
}
