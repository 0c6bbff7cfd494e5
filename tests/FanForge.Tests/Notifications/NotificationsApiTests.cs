using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FanForge.GrainInterfaces.Live;
using FanForge.GrainInterfaces.Notifications;
using FanForge.Grains.Memberships;
using FanForge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FanForge.Tests.Notifications;

/// <summary>
/// The notification routes on the development host, fed the way the frontend feeds the platform: signed groups through
/// /submit-group, the development clock for memberships. (Own factory: the clock moves.)
/// </summary>
public sealed class NotificationsApiTests(FanForgeApiFactory factory) : IClassFixture<FanForgeApiFactory>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private static ulong firstValid = 70_000_000;

    private IGrainFactory Grains => factory.Services.GetRequiredService<IGrainFactory>();

    private static TestWallet NewWallet() => new(RandomNumberGenerator.GetBytes(32));

    private static ulong NextFirstValid() => Interlocked.Increment(ref firstValid);

    private static async Task<JsonElement> ListAsync(HttpClient http, string query = "")
    {
        var response = await http.GetAsync("/notifications" + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static Task<JsonElement> EventuallyListAsync(HttpClient http, int count, string what) =>
        ClusterHosts.EventuallyAsync(() => ListAsync(http), l => l.GetProperty("notifications").GetArrayLength() >= count, Patience, what);

    private static Notification Notice(string wallet, string id) =>
        new(id, wallet, NotificationAudience.Fan, NotificationKinds.OrderExpired, DateTimeOffset.UnixEpoch, new NotificationDetails(OrderId: 9, AmountMicroAlgo: 1_500_000));

    private async Task<WebSocket> SubscribeAsync(string channel)
    {
        var socket = await factory.Server.CreateWebSocketClient().ConnectAsync(new Uri(factory.Server.BaseAddress, "ws"), CancellationToken.None);
        await socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(new { type = "subscribe", channel }), WebSocketMessageType.Text, true, CancellationToken.None);
        Assert.Equal("subscribed", (await ReceiveAsync(socket)).GetProperty("type").GetString());
        await ClusterHosts.EventuallyAsync(
            () => Task.FromResult(factory.Services.GetRequiredService<Api.Live.LiveFeedRelay>().IsSubscribed), ready => ready, Patience, "the live feed relay");
        return socket;
    }

    private static async Task<JsonElement> ReceiveAsync(WebSocket socket)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var buffer = new byte[64 * 1024];
        var result = await socket.ReceiveAsync(buffer, timeout.Token);
        return JsonDocument.Parse(Encoding.UTF8.GetString(buffer, 0, result.Count)).RootElement.Clone();
    }

    [Fact]
    public async Task Only_the_callers_own_notifications_are_listed_and_marked_and_a_token_is_required()
    {
        var (owner, other) = (NewWallet(), NewWallet());
        await Grains.GetGrain<INotificationInbox>(owner.Address).AddAsync([Notice(owner.Address, "order_expired:9")]);
        var (ownerHttp, otherHttp) = (await factory.CreateClientAsync(owner), await factory.CreateClientAsync(other));

        var anonymous = await factory.CreateClient().GetAsync("/notifications");
        var anonymousMark = await factory.CreateClient().PostAsJsonAsync("/notifications/read", new { all = true });
        var theirs = await ListAsync(otherHttp);
        var theirMark = await (await otherHttp.PostAsJsonAsync("/notifications/read", new { ids = new[] { "order_expired:9" } })).Content.ReadFromJsonAsync<JsonElement>();
        var mine = await ListAsync(ownerHttp);

        await HttpAssert.ErrorAsync(anonymous, HttpStatusCode.Unauthorized, "unauthorized");
        await HttpAssert.ErrorAsync(anonymousMark, HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Equal((other.Address, 0, 0), (theirs.GetProperty("wallet").GetString(), theirs.GetProperty("notifications").GetArrayLength(), theirs.GetProperty("unread_count").GetInt32()));
        Assert.Equal((0, 0), (theirMark.GetProperty("marked").GetInt32(), theirMark.GetProperty("unread_count").GetInt32()));
        Assert.Equal(1, mine.GetProperty("unread_count").GetInt32());
        var item = Assert.Single(mine.GetProperty("notifications").EnumerateArray());
        Assert.Equal(("order_expired:9", "order_expired", "fan", false), (item.GetProperty("id").GetString(), item.GetProperty("kind").GetString(),
            item.GetProperty("audience").GetString(), item.GetProperty("read").GetBoolean()));
        Assert.Equal("Your order #9 expired unpaid", item.GetProperty("message").GetString());
        Assert.Equal((9, 1.5m, 1_500_000), (item.GetProperty("data").GetProperty("order_id").GetInt64(), item.GetProperty("data").GetProperty("amount_algo").GetDecimal(),
            item.GetProperty("data").GetProperty("amount_micro").GetInt64()));
        Assert.False(item.GetProperty("data").TryGetProperty("asset_id", out _), "a field the kind does not have is left out");
        Assert.Equal(JsonValueKind.Null, mine.GetProperty("next_cursor").ValueKind);
    }

    [Fact]
    public async Task Pages_follow_next_cursor_and_marks_read_by_ids_or_all()
    {
        var wallet = NewWallet();
        await Grains.GetGrain<INotificationInbox>(wallet.Address).AddAsync([.. Enumerable.Range(1, 3).Select(n => Notice(wallet.Address, $"n{n}"))]);
        var http = await factory.CreateClientAsync(wallet);

        var first = await ListAsync(http, "?limit=2");
        var cursor = first.GetProperty("next_cursor").GetString()!;
        var second = await ListAsync(http, $"?limit=2&cursor={Uri.EscapeDataString(cursor)}");
        var marked = await (await http.PostAsJsonAsync("/notifications/read", new { ids = new[] { "n3", "n1" } })).Content.ReadFromJsonAsync<JsonElement>();
        var unread = await ListAsync(http, "?unread_only=true");
        var all = await (await http.PostAsJsonAsync("/notifications/read", new { all = true })).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(["n3", "n2"], first.GetProperty("notifications").EnumerateArray().Select(n => n.GetProperty("id").GetString()));
        Assert.Equal(["n1"], second.GetProperty("notifications").EnumerateArray().Select(n => n.GetProperty("id").GetString()));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next_cursor").ValueKind);
        Assert.Equal((2, 1), (marked.GetProperty("marked").GetInt32(), marked.GetProperty("unread_count").GetInt32()));
        Assert.Equal(["n2"], unread.GetProperty("notifications").EnumerateArray().Select(n => n.GetProperty("id").GetString()));
        Assert.Equal((1, 0), (all.GetProperty("marked").GetInt32(), all.GetProperty("unread_count").GetInt32()));
    }

    [Theory]
    [InlineData("?cursor=bm90LW91cnM", "invalid_cursor")]
    [InlineData("?cursor=%25%25", "invalid_cursor")]
    [InlineData("?cursor=bjEuMDA3", "invalid_cursor")]
    [InlineData("?limit=0", "validation")]
    [InlineData("?limit=101", "validation")]
    [InlineData("?unread_only=maybe", "invalid_request")]
    public async Task A_bad_query_is_a_400_with_its_code(string query, string code)
    {
        var http = await factory.CreateClientAsync(NewWallet());

        await HttpAssert.ErrorAsync(await http.GetAsync("/notifications" + query), HttpStatusCode.BadRequest, code);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"all\":false}")]
    [InlineData("{\"ids\":[]}")]
    [InlineData("{\"ids\":[\"a\"],\"all\":true}")]
    [InlineData("{\"ids\":[\"\"]}")]
    public async Task A_mark_that_is_neither_ids_nor_all_is_a_400_and_marks_nothing(string body)
    {
        var wallet = NewWallet();
        await Grains.GetGrain<INotificationInbox>(wallet.Address).AddAsync([Notice(wallet.Address, "a")]);
        var http = await factory.CreateClientAsync(wallet);

        var response = await http.PostAsync("/notifications/read", new StringContent(body, Encoding.UTF8, "application/json"));

        await HttpAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "validation");
        Assert.Equal(1, (await ListAsync(http)).GetProperty("unread_count").GetInt32());
    }

    [Fact]
    public async Task Tips_are_told_to_their_creator_once_each_in_batch_notifications_pushed_on_the_creators_channel()
    {
        var (creator, fan1, fan2) = (NewWallet(), NewWallet(), NewWallet());
        var app = await factory.RegisterCreatorAsync(creator);
        using var socket = await SubscribeAsync(LiveChannels.Creator(creator.Address));
        var round = NextFirstValid();

        // Three tips submitted for the same round: the follower hands them to the journal together.
        foreach (var (fan, micro, memo) in new[] { (fan1, 1_000_000UL, "one"), (fan2, 2_000_000UL, "two"), (fan1, 500_000UL, "three") })
        {
            var (status, _) = await factory.SubmitGroupAsync(Tipping.TipGroup(fan, app, micro, memo, round));
            Assert.Equal(HttpStatusCode.OK, status);
        }

        var http = await factory.CreateClientAsync(creator);
        var list = await ClusterHosts.EventuallyAsync(
            () => ListAsync(http), l => l.GetProperty("notifications").EnumerateArray().Sum(n => n.GetProperty("data").GetProperty("count").GetInt32()) >= 3,
            Patience, "every tip told to the creator");
        var pushed = await ReceiveUntilAsync(socket, "notification");

        var items = list.GetProperty("notifications").EnumerateArray().ToList();
        // Every tip told once, in as many notifications as delivery batches: one when the tips land in one round, more
        // when the follower read a round between the submissions (the journal's tests pin one per batch).
        Assert.InRange(items.Count, 1, 3);
        Assert.Equal(3, items.Sum(i => i.GetProperty("data").GetProperty("count").GetInt32()));
        Assert.All(items, i => Assert.Equal("tips_received", i.GetProperty("kind").GetString()));
        Assert.Equal(3.5m, items.Sum(i => i.GetProperty("data").GetProperty("amount_algo").GetDecimal()));
        var newest = items[^1];
        Assert.Equal(newest.GetProperty("id").GetString(), pushed.GetProperty("payload").GetProperty("id").GetString());
        Assert.Equal("notification:" + newest.GetProperty("id").GetString(), pushed.GetProperty("id").GetString());
        Assert.Equal(newest.GetProperty("message").GetString(), pushed.GetProperty("payload").GetProperty("message").GetString());
        Assert.False(pushed.GetProperty("payload").GetProperty("read").GetBoolean());
        Assert.Empty((await ListAsync(await factory.CreateClientAsync(fan1))).GetProperty("notifications").EnumerateArray());
    }

    [Fact]
    public async Task The_fifth_tip_tells_the_fan_its_badge_is_minted()
    {
        var (creator, fan) = (NewWallet(), NewWallet());
        var app = await factory.RegisterCreatorAsync(creator);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await factory.SubmitGroupAsync(Tipping.TipGroup(fan, app, 1_000_000, $"tip {i}", NextFirstValid()))).Status);
        }

        var list = await EventuallyListAsync(await factory.CreateClientAsync(fan), 1, "the badge notification");

        var item = Assert.Single(list.GetProperty("notifications").EnumerateArray());
        Assert.Equal(("badge_minted", $"badge_minted:{creator.Address}/{fan.Address}/1"), (item.GetProperty("kind").GetString(), item.GetProperty("id").GetString()));
        Assert.True(item.GetProperty("data").GetProperty("asset_id").GetUInt64() > 0);
    }

    [Fact]
    public async Task A_membership_bought_on_chain_is_told_then_warned_three_days_before_and_then_told_it_expired()
    {
        var (creator, fan) = (NewWallet(), NewWallet());
        var app = await factory.RegisterCreatorAsync(creator);
        Assert.Equal(HttpStatusCode.OK, (await factory.SubmitGroupAsync(Tipping.TipGroup(fan, app, 5_000_000, "MEMBERSHIP:BAUNI", NextFirstValid()))).Status);
        var (fanHttp, creatorHttp) = (await factory.CreateClientAsync(fan), await factory.CreateClientAsync(creator));

        var bought = await EventuallyListAsync(fanHttp, 1, "the purchase");
        var member = await EventuallyListAsync(creatorHttp, 1, "the new member");
        var expiresAt = bought.GetProperty("notifications")[0].GetProperty("data").GetProperty("expires_at").GetDateTimeOffset();
        var clock = await factory.CreateClient().GetFromJsonAsync<JsonElement>("/simulate/clock");
        var toWarning = expiresAt - MembershipRules.ExpiryWarningLead - clock.GetProperty("now").GetDateTimeOffset();
        await AdvanceAsync((long)toWarning.TotalSeconds + 1);
        // A read catches up with a clock moved past the reminder's time; in real time the reminder does it.
        await factory.CreateClient().GetAsync($"/bauni/{fan.Address}/membership/{creator.Address}");
        var warned = await EventuallyListAsync(fanHttp, 2, "the expiry warning");
        await AdvanceAsync((long)MembershipRules.ExpiryWarningLead.TotalSeconds);
        await factory.CreateClient().GetAsync($"/bauni/{fan.Address}/membership/{creator.Address}");
        var expired = await EventuallyListAsync(fanHttp, 3, "the expiry");

        Assert.Equal("membership_bought", bought.GetProperty("notifications")[0].GetProperty("kind").GetString());
        Assert.Equal("new_member", member.GetProperty("notifications")[0].GetProperty("kind").GetString());
        Assert.Equal("membership_expiring", warned.GetProperty("notifications")[0].GetProperty("kind").GetString());
        Assert.Equal(
            ["membership_expired", "membership_expiring", "membership_bought"],
            expired.GetProperty("notifications").EnumerateArray().Select(n => n.GetProperty("kind").GetString()));
        Assert.Equal(3, expired.GetProperty("unread_count").GetInt32());
    }

    private async Task AdvanceAsync(long seconds) =>
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient().PostAsJsonAsync("/simulate/clock/advance", new { seconds })).StatusCode);

    private static async Task<JsonElement> ReceiveUntilAsync(WebSocket socket, string type)
    {
        while (true)
        {
            var message = await ReceiveAsync(socket);
            if (message.GetProperty("type").GetString() == type)
            {
                return message;
            }
        }
    }
}
