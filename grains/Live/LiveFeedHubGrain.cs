using FanForge.GrainInterfaces.Live;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Utilities;

namespace FanForge.Grains.Live;

/// <summary>
/// Observers are transient (API processes come and go), so they live in memory with an expiry and are never
/// persisted. Reentrant: publishing is a one-way fan-out that must not queue behind a subscription refresh.
/// </summary>
[GrainType("ff.live-feed-hub"), Reentrant]
public sealed class LiveFeedHubGrain(ILogger<LiveFeedHubGrain> logger) : Grain, ILiveFeedHub
{
    internal static readonly TimeSpan SubscriptionLifetime = TimeSpan.FromMinutes(1);

    private readonly ObserverManager<ILiveFeedObserver> observers = new(SubscriptionLifetime, logger);

    public Task PublishAsync(IReadOnlyList<LiveEvent> events)
    {
        if (events.Count > 0)
        {
            observers.Notify(o => o.OnEventsAsync(events));
        }

        return Task.CompletedTask;
    }

    public Task SubscribeAsync(ILiveFeedObserver observer)
    {
        observers.Subscribe(observer, observer);
        return Task.CompletedTask;
    }

    public Task UnsubscribeAsync(ILiveFeedObserver observer)
    {
        observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }
}
