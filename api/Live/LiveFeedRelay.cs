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
/// dropped rather than slowing anyone else down.
/// </summary>
internal sealed class LiveFeedRelay(IGrainFactory grains, TimeProvider time, ILogger<LiveFeedRelay> logger) : BackgroundService, ILiveFeedObserver
{
    internal const int OutboxCapacity = 256;
    internal const int MaxChannelsPerClient = 50;
    internal const int MaxMessageBytes = 4096;
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<Guid, LiveClient> clients = new();

    public int ClientCount => clients.Count;

    /// <summary>Whether the hub has accepted this process's subscription at least once.</summary>
    public bool IsSubscribed { get; private set; }

    public Task OnEventsAsync(IReadOnlyList<LiveEvent> events)
    {
        foreach (var client in clients.Values)
        {
            foreach (var e in events)
            {
                if (client.Wants(e) && !client.Outbox.Writer.TryWrite(e))
                {
                    client.Drop("Client too slow: live feed outbox full.");
                    break;
                }
            }
        }

        return Task.CompletedTask;
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
        await foreach (var e in client.Outbox.Reader.ReadAllAsync(cancellationToken))
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(SendTimeout);
            try
            {
                await socket.SendAsync(Frame(e), WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                client.Drop("Client too slow: send timed out.");
                return;
            }
        }
    }

    /// <summary>A client message: <c>{"type":"subscribe"|"unsubscribe","channel":…}</c>. Returns the reply event.</summary>
    private LiveEvent Handle(LiveClient client, ReadOnlySpan<byte> message)
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

    private LiveEvent Control(string type, string channel) =>
        new($"{type}:{channel}", type, [], JsonSerializer.Serialize(new { channel }), time.GetUtcNow());

    private LiveEvent Error(string code, string message) =>
        new("error:" + code, "error", [], JsonSerializer.Serialize(new { code, message }), time.GetUtcNow());

    private static void Reply(LiveClient client, LiveEvent reply)
    {
        if (!client.Outbox.Writer.TryWrite(reply))
        {
            client.Drop("Client too slow: live feed outbox full.");
        }
    }

    private static ReadOnlyMemory<byte> Frame(LiveEvent e)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", e.Type);
            json.WritePropertyName("payload");
            json.WriteRawValue(e.PayloadJson, skipInputValidation: true);
            json.WriteString("id", e.Id);
            json.WriteString("timestamp", e.Timestamp);
            json.WriteEndObject();
        }

        return buffer.ToArray();
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

        public Channel<LiveEvent> Outbox { get; } = Channel.CreateBounded<LiveEvent>(
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
