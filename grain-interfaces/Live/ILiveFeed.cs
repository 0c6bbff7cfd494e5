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

    /// <summary>
    /// Sends events to every subscribed API process without waiting for them. Grains publish through
    /// <see cref="ILiveFeedOutbox"/> rather than calling this, so none of them waits on this one activation.
    /// </summary>
    [Alias("Publish")]
    Task PublishAsync(IReadOnlyList<LiveEvent> events);

    /// <summary>Registers (or refreshes) an API process; a subscription lapses unless refreshed within a minute.</summary>
    [Alias("Subscribe")]
    Task SubscribeAsync(ILiveFeedObserver observer);

    /// <summary>Removes an API process.</summary>
    [Alias("Unsubscribe")]
    Task UnsubscribeAsync(ILiveFeedObserver observer);
}

/// <summary>
/// Where grains publish live events (key <see cref="Key"/>). A stateless worker, so the activation a grain reaches is
/// on that grain's own silo; one-way, so publishing costs the publisher a local enqueue and never a wait on
/// <see cref="ILiveFeedHub"/>, a single activation somewhere in the cluster that may be slow, busy or moving. The
/// outbox forwards to the hub and logs what fails: the feed is a notification, never part of the work that caused it.
/// </summary>
[Alias("ff.ILiveFeedOutbox")]
public interface ILiveFeedOutbox : IGrainWithIntegerKey
{
    /// <summary>The only key (every silo has its own activation under it).</summary>
    public const long Key = 0;

    /// <summary>Queues events for the hub and returns at once.</summary>
    [Alias("Publish"), OneWay]
    Task PublishAsync(IReadOnlyList<LiveEvent> events);
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
/// The payload travels as typed data (<see cref="Body"/>); only the API process writes it as JSON, so the wire
/// format the frontend reads is decided in one place and grains spend no time formatting text.
/// </summary>
/// <remarks>
/// Never persisted, only sent. Field 3 once held the payload as JSON text and is not reused: during a rolling
/// upgrade an event from a silo still on the older version then arrives here without a body, and the API skips it,
/// instead of the field failing to deserialize as the wrong type.
/// </remarks>
[GenerateSerializer, Immutable, Alias("ff.LiveEvent")]
public sealed record LiveEvent(
    [property: Id(0)] string Id,
    [property: Id(1)] string Type,
    [property: Id(2)] IReadOnlyList<string> Channels,
    [property: Id(5)] LiveEventBody Body,
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
