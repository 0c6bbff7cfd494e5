using FanForge.GrainInterfaces.Live;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace FanForge.Grains.Live;

/// <summary>
/// Takes the wait on the hub off publishing grains: they call this one-way on their own silo, and this waits for the
/// hub instead. One activation per silo, so a silo's batches are handed to the hub in the order they arrived here;
/// reentrant, so a slow hub call never holds back the batches behind it (each is sent on as it arrives, while earlier
/// ones still wait for their answers).
/// </summary>
[StatelessWorker(1), Reentrant]
[GrainType("ff.live-feed-outbox")]
public sealed class LiveFeedOutboxGrain(ILogger<LiveFeedOutboxGrain> logger) : Grain, ILiveFeedOutbox
{
    public async Task PublishAsync(IReadOnlyList<LiveEvent> events)
    {
        if (events.Count == 0)
        {
            return;
        }

        try
        {
            await GrainFactory.GetGrain<ILiveFeedHub>(ILiveFeedHub.Key).PublishAsync(events);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // No one waits for this call, so the log is the only place a failure can go.
            logger.LogWarning(e, "Live feed forwarding of {Count} events to the hub failed", events.Count);
        }
    }
}
