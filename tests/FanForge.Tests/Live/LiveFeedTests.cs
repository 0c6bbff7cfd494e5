using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using FanForge.GrainInterfaces.Live;
using FanForge.GrainInterfaces.Loyalty;
using FanForge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FanForge.Tests.Live;

public sealed class LiveFeedTests(FanForgeApiFactory factory) : IClassFixture<FanForgeApiFactory>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    private IGrainFactory Grains => factory.Services.GetRequiredService<IGrainFactory>();

    private async Task<WebSocket> ConnectAsync(params string[] channels)
    {
        var socket = await factory.Server.CreateWebSocketClient().ConnectAsync(new Uri(factory.Server.BaseAddress, "ws"), CancellationToken.None);
        foreach (var channel in channels)
        {
            await SendAsync(socket, new { type = "subscribe", channel });
            var reply = await ReceiveAsync(socket);
            Assert.Equal("subscribed", reply.GetProperty("type").GetString());
        }

        return socket;
    }

    private static Task SendAsync(WebSocket socket, object message) =>
        socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, true, CancellationToken.None);

    private static async Task<JsonElement> ReceiveAsync(WebSocket socket)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var buffer = new byte[64 * 1024];
        var result = await socket.ReceiveAsync(buffer, timeout.Token);
        Assert.Equal(WebSocketMessageType.Text, result.MessageType);
        return JsonDocument.Parse(Encoding.UTF8.GetString(buffer, 0, result.Count)).RootElement.Clone();
    }

    /// <summary>The relay subscribes to the hub in the background at start-up.</summary>
    private Task WaitForRelayAsync() => ClusterHosts.EventuallyAsync(
        () => Task.FromResult(factory.Services.GetRequiredService<Api.Live.LiveFeedRelay>().IsSubscribed), ready => ready, Patience, "the live feed relay to subscribe");

    [Fact]
    public async Task A_creators_subscriber_sees_each_tip_the_badge_of_the_fifth_and_the_badge_minted_with_its_asset()
    {
        var (creator, fan) = (new TestWallet(81).Address, new TestWallet(82).Address);
        using var socket = await ConnectAsync(LiveChannels.Creator(creator));
        await WaitForRelayAsync();

        var at = new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
        await Grains.GetGrain<ICreatorPayments>(creator).ApplyAsync(
            [.. Enumerable.Range(1, 5).Select(r => new ChainTip(fan, creator, 1_000_000, "gm", new ChainPosition((ulong)r, 0), $"LIVE{r}", at))]);

        // Five tips and the badge owed, then the mint landing; the mint may overtake the tips' publication. The
        // creator's channel also carries its notifications (their own tests cover them).
        var received = new List<JsonElement>();
        while (received.Count < 7)
        {
            if (await ReceiveAsync(socket) is var e && e.GetProperty("type").GetString() != "notification")
            {
                received.Add(e);
            }
        }

        var tips = received.Where(e => e.GetProperty("type").GetString() == "tip").ToList();
        var badge = Assert.Single(received, e => e.GetProperty("type").GetString() == "badge");
        var minted = Assert.Single(received, e => e.GetProperty("type").GetString() == "badge_minted");
        Assert.Equal(["LIVE1", "LIVE2", "LIVE3", "LIVE4", "LIVE5"], tips.Select(t => t.GetProperty("payload").GetProperty("txId").GetString()));
        Assert.Equal("tip:LIVE1", tips[0].GetProperty("id").GetString());
        Assert.Equal(fan, tips[0].GetProperty("payload").GetProperty("fanWallet").GetString());
        Assert.Equal(1, badge.GetProperty("payload").GetProperty("badgeNumber").GetInt32());
        Assert.True(received.IndexOf(badge) < received.IndexOf(minted), "the badge is owed before it is minted");

        var pair = await Grains.GetGrain<IFanLoyalty>(FanLoyaltyKey.For(creator, fan)).GetAsync();
        var payload = minted.GetProperty("payload");
        Assert.Equal((fan, creator, 1), (payload.GetProperty("fanWallet").GetString(), payload.GetProperty("creatorWallet").GetString(), payload.GetProperty("badgeNumber").GetInt32()));
        Assert.NotNull(pair.LastBadgeAssetId);
        Assert.Equal((ulong)pair.LastBadgeAssetId!.Value, payload.GetProperty("assetId").GetUInt64());
        Assert.Equal($"badge_minted:{creator}/{fan}/1", minted.GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_subscriber_gets_only_its_channels()
    {
        var (watched, other, fan) = (new TestWallet(83).Address, new TestWallet(84).Address, new TestWallet(85).Address);
        using var socket = await ConnectAsync(LiveChannels.Fan(fan));
        await WaitForRelayAsync();
        var at = DateTimeOffset.UnixEpoch;

        await Grains.GetGrain<ICreatorPayments>(other).ApplyAsync([new ChainTip(new TestWallet(86).Address, other, 1_000_000, "", new ChainPosition(1, 0), "NOT-MINE", at)]);
        await Grains.GetGrain<ICreatorPayments>(watched).ApplyAsync([new ChainTip(fan, watched, 1_000_000, "", new ChainPosition(1, 0), "MINE", at)]);

        var first = await ReceiveAsync(socket);
        Assert.Equal("MINE", first.GetProperty("payload").GetProperty("txId").GetString());
    }

    [Theory]
    [InlineData("{\"type\":\"subscribe\",\"channel\":\"creator:NOPE\"}", "invalid_channel")]
    [InlineData("{\"type\":\"dance\"}", "unknown_message")]
    [InlineData("not json", "invalid_json")]
    public async Task A_bad_message_gets_an_error_event_and_the_connection_stays_open(string message, string code)
    {
        using var socket = await ConnectAsync();

        await socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, true, CancellationToken.None);
        var reply = await ReceiveAsync(socket);
        await SendAsync(socket, new { type = "subscribe", channel = "feed" });
        var next = await ReceiveAsync(socket);

        Assert.Equal(("error", code), (reply.GetProperty("type").GetString(), reply.GetProperty("payload").GetProperty("code").GetString()));
        Assert.Equal("subscribed", next.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_client_that_does_not_read_is_dropped_and_others_keep_receiving()
    {
        var (slowChannel, fastChannel) = (LiveChannels.Creator(new TestWallet(87).Address), LiveChannels.Creator(new TestWallet(88).Address));
        using var fast = await ConnectAsync(fastChannel);
        await WaitForRelayAsync();

        // The test server's sockets accept every send at once, so a client that does not read is modelled by a socket
        // whose sends never complete: the relay's first send to it (the subscription's reply) stalls, as it would on a
        // full TCP window, and everything after waits in the client's outbox.
        var slow = new StalledSocket(slowChannel);
        using var connection = new CancellationTokenSource(Patience * 4);
        var serving = factory.Services.GetRequiredService<Api.Live.LiveFeedRelay>().ServeAsync(slow, connection.Token);
        await slow.FirstSend.WaitAsync(Patience);
        var hub = Grains.GetGrain<ILiveFeedHub>(ILiveFeedHub.Key);

        var body = new BadgeEventBody("fan", "creator", 1, 5, 5_000_000);
        await hub.PublishAsync([.. Enumerable.Range(0, Api.Live.LiveFeedRelay.OutboxCapacity + 1).Select(i => new LiveEvent($"flood{i}", "badge", [slowChannel], body, DateTimeOffset.UnixEpoch))]);
        await hub.PublishAsync([new LiveEvent("after", "badge", [fastChannel], body, DateTimeOffset.UnixEpoch)]);

        Assert.Equal("after", (await ReceiveAsync(fast)).GetProperty("id").GetString());
        await serving.WaitAsync(Patience);
        Assert.False(connection.IsCancellationRequested, "the relay let go of the client by itself, not at the test's deadline");
        Assert.Equal((WebSocketCloseStatus.PolicyViolation, "Client too slow: live feed outbox full."), (slow.ClosedWith, slow.CloseStatusDescription));
    }

    /// <summary>
    /// A client socket that sends one subscription, then neither reads nor lets a send complete until the connection
    /// ends; it records how the server closed it.
    /// </summary>
    private sealed class StalledSocket(string channel) : WebSocket
    {
        private readonly TaskCompletionSource firstSend = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private bool subscribed;
        private string? closedBecause;

        public Task FirstSend => firstSend.Task;

        public WebSocketCloseStatus? ClosedWith { get; private set; }

        public override WebSocketCloseStatus? CloseStatus => ClosedWith;

        public override string? CloseStatusDescription => closedBecause;

        public override WebSocketState State => ClosedWith is null ? WebSocketState.Open : WebSocketState.CloseSent;

        public override string? SubProtocol => null;

        public override async Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken)
        {
            if (!subscribed)
            {
                subscribed = true;
                var message = JsonSerializer.SerializeToUtf8Bytes(new { type = "subscribe", channel });
                message.CopyTo(buffer.AsSpan());
                return new WebSocketReceiveResult(message.Length, WebSocketMessageType.Text, true);
            }

            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }

        public override async Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
        {
            firstSend.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken)
        {
            (ClosedWith, closedBecause) = (closeStatus, statusDescription);
            return Task.CompletedTask;
        }

        public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) =>
            CloseOutputAsync(closeStatus, statusDescription, cancellationToken);

        public override void Abort()
        {
        }

        public override void Dispose()
        {
        }
    }

    [Fact]
    public async Task A_plain_get_of_the_feed_is_a_400_envelope()
    {
        var response = await factory.CreateClient().GetAsync("/ws");

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("websocket_required", await response.Content.ReadAsStringAsync());
    }
}
