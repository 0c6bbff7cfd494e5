using FanForge.GrainInterfaces.Notifications;
using Microsoft.Extensions.Logging;

namespace FanForge.Grains.Notifications;

/// <summary>
/// How a grain notifies at least once: it queues the notification in a list in its own state, in the write that
/// records the event, and hands the list to the inboxes after that write. What an inbox took leaves the list in
/// memory and is stored gone with the grain's next write; what failed stays queued for the grain's timer or
/// reminder to send again. A crash between the write and the send, or a send that was taken but not yet stored as
/// sent, can only repeat a notification, and the inbox keeps one per id: exactly once, and never lost.
/// </summary>
public static class NotificationOutbox
{
    /// <summary>An inbox that has not answered by then counts as failed; a late answer is harmless (it dedupes).</summary>
    public static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Sends everything in <paramref name="queued"/>, one call per wallet, all wallets at once, and removes what the
    /// inboxes took. Never throws: a failure is logged and its notifications stay queued. True when nothing is left.
    /// Callers must not change <paramref name="queued"/> while this runs except by adding to it.
    /// </summary>
    public static async Task<bool> SendAsync(IGrainFactory grains, List<Notification> queued, ILogger logger)
    {
        if (queued.Count == 0)
        {
            return true;
        }

        var batches = queued.GroupBy(n => n.Wallet, StringComparer.Ordinal).Select(g => g.ToList()).ToList();
        var taken = await Task.WhenAll(batches.Select(async batch =>
        {
            try
            {
                await grains.GetGrain<INotificationInbox>(batch[0].Wallet).AddAsync(batch).WaitAsync(SendTimeout);
                return batch;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Handing {Count} notifications to the inbox of {Wallet} failed; they stay queued", batch.Count, batch[0].Wallet);
                return [];
            }
        }));
        var sent = taken.SelectMany(b => b).ToHashSet(ReferenceEqualityComparer.Instance);
        queued.RemoveAll(sent.Contains);
        return queued.Count == 0;
    }
}
