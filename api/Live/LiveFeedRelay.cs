using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using FanForge.Grains.Algorand;
using FanForge.GrainInterfaces.Live;

namespace FanForge.Api.Live;

/// <summary>
/// This process's end of the live feed: one observer registered with the hub grain, relaying events to the
/// WebSocket clients connected here. Each client has a small bounded outbox; a client that cannot keep up is
/// dropped rather than slowing anyone else down. An event's frame is written once, when the first client wants it, and
/// the same bytes are queued for every client that does.
/// </summary>
internal sealed class LiveFeedRelay(IGrainFactory grains, TimeProvider time, ILogger<LiveFeedRelay> logger) : BackgroundService, ILiveFeedObserver
{
    internal const int OutboxCapacity = 256;
    internal const int MaxChannelsPerClient = 50;
    internal const int MaxMessageBytes = 4096;
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Marks an event already found unwritable, so it is neither retried nor logged again for the next client.</summary>
    private static readonly byte[] Unwritable = new byte[1];

    private readonly ConcurrentDictionary<Guid, LiveClient> clients = new();

    public int ClientCount => clients.Count;

    /// <summary>Whether the hub has accepted this process's subscription at least once.</summary>
    public bool IsSubscribed { get; private set; }

    public Task OnEventsAsync(IReadOnlyList<LiveEvent> events)
    {
        var frames = new byte[]?[events.Count];
        foreach (var client in clients.Values)
        {
            for (var i = 0; i < events.Count; i++)
            {
                if (!client.Wants(events[i]) || FrameOf(events[i], ref frames[i]) is not { } frame)
                {
                    continue;
                }

                if (!client.Outbox.Writer.TryWrite(frame))
                {
                    client.Drop("Client too slow: live feed outbox full.");
                    break;
                }
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// An event's frame, written into <paramref name="cached"/> on first use; null for an event whose body this process
    /// cannot write (one from a silo of another version during a rolling upgrade), which no client is sent.
    /// </summary>
    private byte[]? FrameOf(LiveEvent e, ref byte[]? cached)
    {
        if (cached is null)
        {
            cached = LiveEventJson.Frame(e) ?? Unwritable;
            if (ReferenceEquals(cached, Unwritable))
            {
                logger.LogWarning("Live event {Id} of type {Type} has no body this process can write; skipped", e.Id, e.Type);
            }
        }

        return ReferenceEquals(cached, Unwritable) ? null : cached;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var hub = grains.GetGrain<ILiveFeedHub>(ILiveFeedHub.Key);
        var self = grains.CreateObjectReference<ILiveFeedObserver>(this);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var wait = RefreshInterval;
                try
                {
                    await hub.SubscribeAsync(self);
                    IsSubscribed = true;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The cluster may still be starting or a silo may be moving the hub: try again soon.
                    logger.LogWarning(e, "Live feed subscription failed; retrying");
                    wait = RetryInterval;
                }

                await Task.Delay(wait, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await UnsubscribeQuietlyAsync(hub, self);
            grains.DeleteObjectReference<ILiveFeedObserver>(self);
        }
    }

    /// <summary>Serves one WebSocket until it closes, is dropped, or the request ends.</summary>
    public async Task ServeAsync(WebSocket socket, CancellationToken requestAborted)
    {
        using var done = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        var client = new LiveClient(done);
        clients[client.Id] = client;
        try
        {
            var sending = SendLoopAsync(socket, client, done.Token);
            await ReceiveLoopAsync(socket, client, done.Token);
            await done.CancelAsync();
            await sending;
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // The client went away or was dropped: nothing to report to it.
        }
        finally
        {
            clients.TryRemove(client.Id, out _);
            client.Outbox.Writer.TryComplete();
            await CloseQuietlyAsync(socket, client.DropReason);
        }
    }

    private async Task ReceiveLoopAsync(WebSocket socket, LiveClient client, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxMessageBytes];
        while (socket.State == WebSocketState.Open)
        {
            var length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                if (length == buffer.Length)
                {
                    client.Drop($"Messages are limited to {MaxMessageBytes} bytes.");
                    return;
                }

                result = await socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken);
                length += result.Count;
            }
            while (!result.EndOfMessage);

            if (result.MessageType == WebSocketMessageType.Close)
            {
                return;
            }

            Reply(client, Handle(client, buffer.AsSpan(0, length)));
        }
    }

    private static async Task SendLoopAsync(WebSocket socket, LiveClient client, CancellationToken cancellationToken)
    {
        await foreach (var frame in client.Outbox.Reader.ReadAllAsync(cancellationToken))
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(SendTimeout);
            try
            {
                await socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                client.Drop("Client too slow: send timed out.");
                return;
            }
        }
    }

    /// <summary>A client message: <c>{"type":"subscribe"|"unsubscribe","channel":…}</c>. Returns the reply's frame.</summary>
    private byte[] Handle(LiveClient client, ReadOnlySpan<byte> message)
    {
        string? type = null, channel = null;
        try
        {
            using var document = JsonDocument.Parse(message.ToArray());
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                type = document.RootElement.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                channel = document.RootElement.TryGetProperty("channel", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            }
        }
        catch (JsonException)
        {
            return Error("invalid_json", "Messages are JSON objects: {\"type\":\"subscribe\",\"channel\":\"feed\"}.");
        }

        if (type is not ("subscribe" or "unsubscribe"))
        {
            return Error("unknown_message", "type must be \"subscribe\" or \"unsubscribe\".");
        }

        if (!TryNormalizeChannel(channel, out var normalized))
        {
            return Error("invalid_channel", "channel must be \"feed\", \"creator:{wallet}\" or \"fan:{wallet}\" with a valid Algorand address.");
        }

        if (type == "unsubscribe")
        {
            client.Channels.TryRemove(normalized, out _);
            return Control("unsubscribed", normalized);
        }

        if (!client.Channels.ContainsKey(normalized) && client.Channels.Count >= MaxChannelsPerClient)
        {
            return Error("too_many_channels", $"At most {MaxChannelsPerClient} channels per connection.");
        }

        client.Channels[normalized] = true;
        return Control("subscribed", normalized);
    }

    private static bool TryNormalizeChannel(string? channel, out string normalized)
    {
        normalized = "";
        if (channel == LiveChannels.Feed)
        {
            normalized = channel;
            return true;
        }

        var colon = channel?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (colon < 0 || !AlgorandAddress.TryParse(channel![(colon + 1)..], out var wallet, out _))
        {
            return false;
        }

        var wanted = channel[..colon] switch
        {
            "creator" => LiveChannels.Creator(wallet.ToString()),
            "fan" => LiveChannels.Fan(wallet.ToString()),
            _ => null,
        };
        normalized = wanted ?? "";
        return wanted is not null;
    }

    private byte[] Control(string type, string channel) =>
        LiveEventJson.Frame(type, $"{type}:{channel}", time.GetUtcNow(), channel, static (json, channel) =>
        {
            json.WriteStartObject();
            json.WriteString("channel", channel);
            json.WriteEndObject();
        });

    private byte[] Error(string code, string message) =>
        LiveEventJson.Frame("error", "error:" + code, time.GetUtcNow(), (code, message), static (json, error) =>
        {
            json.WriteStartObject();
            json.WriteString("code", error.code);
            json.WriteString("message", error.message);
            json.WriteEndObject();
        });

    private static void Reply(LiveClient client, byte[] reply)
    {
        if (!client.Outbox.Writer.TryWrite(reply))
        {
            client.Drop("Client too slow: live feed outbox full.");
        }
    }

    private async Task UnsubscribeQuietlyAsync(ILiveFeedHub hub, ILiveFeedObserver self)
    {
        try
        {
            await hub.UnsubscribeAsync(self);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogDebug(e, "Live feed unsubscribe failed at shutdown; the subscription lapses by itself");
        }
    }

    private static async Task CloseQuietlyAsync(WebSocket socket, string? reason)
    {
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await socket.CloseOutputAsync(
                    reason is null ? WebSocketCloseStatus.NormalClosure : WebSocketCloseStatus.PolicyViolation, reason, timeout.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or WebSocketException)
            {
            }
        }
    }

    private sealed class LiveClient(CancellationTokenSource connection)
    {
        public Guid Id { get; } = Guid.NewGuid();

        public ConcurrentDictionary<string, bool> Channels { get; } = new(StringComparer.Ordinal);

        /// <summary>Frames waiting to be sent, already written.</summary>
        public Channel<byte[]> Outbox { get; } = Channel.CreateBounded<byte[]>(
            new BoundedChannelOptions(OutboxCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

        public string? DropReason { get; private set; }

        public bool Wants(LiveEvent e) => e.Channels.Any(Channels.ContainsKey);

        public void Drop(string reason)
        {
            DropReason ??= reason;
            Outbox.Writer.TryComplete();
            connection.Cancel();
        }
    }
}
