using Orleans.Concurrency;

namespace FanForge.GrainInterfaces.Live;

/// <summary>
/// Fans live events out to every API process that holds WebSocket clients (one grain, key <see cref="Key"/>).
/// Best effort by design: the feed is a notification, the REST routes are the record.
/// </summary>
[Alias("ff.ILiveFeedHub")]
public interface ILiveFeedHub : IGrainWithStringKey
{
    /// <summary>The only key.</summary>
    public const string Key = "live";

    /// <summary>Sends events to every subscribed API process without waiting for them.</summary>
    [Alias("Publish")]
    Task PublishAsync(IReadOnlyList<LiveEvent> events);

    /// <summary>Registers (or refreshes) an API process; a subscription lapses unless refreshed within a minute.</summary>
    [Alias("Subscribe")]
    Task SubscribeAsync(ILiveFeedObserver observer);

    /// <summary>Removes an API process.</summary>
    [Alias("Unsubscribe")]
    Task UnsubscribeAsync(ILiveFeedObserver observer);
}

/// <summary>An API process receiving live events (a transient observer, never stored in grain state).</summary>
[Alias("ff.ILiveFeedObserver")]
public interface ILiveFeedObserver : IGrainObserver
{
    /// <summary>A batch of events, in publication order.</summary>
    [Alias("OnEvents"), OneWay]
    Task OnEventsAsync(IReadOnlyList<LiveEvent> events);
}

/// <summary>
/// One event of the contract's <c>/ws</c> feed: <c>{"type", "payload", "id", "timestamp"}</c>, delivered to clients
/// subscribed to any of <see cref="Channels"/> (<c>feed</c>, <c>creator:{wallet}</c>, <c>fan:{wallet}</c>).
/// </summary>
[GenerateSerializer, Immutable, Alias("ff.LiveEvent")]
public sealed record LiveEvent(
    [property: Id(0)] string Id,
    [property: Id(1)] string Type,
    [property: Id(2)] IReadOnlyList<string> Channels,
    [property: Id(3)] string PayloadJson,
    [property: Id(4)] DateTimeOffset Timestamp);

/// <summary>Channel names of the live feed.</summary>
public static class LiveChannels
{
    /// <summary>Everything public.</summary>
    public const string Feed = "feed";

    /// <summary>Events about one creator.</summary>
    public static string Creator(string wallet) => "creator:" + wallet;

    /// <summary>Events about one fan.</summary>
    public static string Fan(string wallet) => "fan:" + wallet;
}
