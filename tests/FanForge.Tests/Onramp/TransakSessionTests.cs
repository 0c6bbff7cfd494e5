using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FanForge.Grains.Onramp;
using FanForge.Tests.Infrastructure;

namespace FanForge.Tests.Onramp;

/// <summary>
/// Transak's session API over HTTP against <see cref="FakeTransak"/>: the cluster's one access token (refreshed once,
/// reused, refreshed near expiry, replaced when revoked elsewhere), a new widget URL per create-order, Transak's
/// failures as 502s that keep the order, webhooks signed with the refreshed token, and the re-fetch of open orders.
/// Tests in a class run one at a time, so each counts only the requests it caused.
/// </summary>
public sealed class TransakSessionTests(TransakApiFactory factory) : IClassFixture<TransakApiFactory>
{
    private static readonly TestWallet Creator = new(253);

    private FakeTransak Transak => factory.Transak;

    private static TestWallet NewFan() => new(RandomNumberGenerator.GetBytes(32));

    /// <summary>Past the lifetime of any token issued so far: the next call refreshes, whatever an earlier test left.</summary>
    private void OutliveEveryToken() => factory.Time.Advance(FakeTransak.TokenLifetime);

    private static Task<HttpResponseMessage> PostCreateAsync(HttpClient http, TestWallet fan, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/onramp/create-order")
        {
            Content = JsonContent.Create(new { fanWallet = fan.Address, creatorWallet = Creator.Address, fiatAmount = 250.75m, fiatCurrency = "INR" }),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("X-Idempotency-Key", idempotencyKey);
        }

        return http.SendAsync(request);
    }

    private async Task<JsonElement> CreateAsync(HttpClient http, TestWallet fan, string? idempotencyKey = null) =>
        await HttpAssert.OkAsync(await PostCreateAsync(http, fan, idempotencyKey));

    /// <summary>Runs <paramref name="act"/> and returns the requests Transak received meanwhile.</summary>
    private async Task<IReadOnlyList<TransakRequest>> SentDuringAsync(Func<Task> act)
    {
        var before = Transak.Requests.Count;
        await act();
        return [.. Transak.Requests.Skip(before)];
    }

    private Task<HttpResponseMessage> PostWebhookAsync(string body) =>
        factory.CreateClient().PostAsync("/onramp/webhook", new StringContent(body, Encoding.UTF8, "application/json"));

    private async Task<string?> WebhookStatusAsync(string body) => (await HttpAssert.OkAsync(await PostWebhookAsync(body))).Text("status");

    [Fact]
    public async Task The_token_is_refreshed_once_and_reused_and_each_order_gets_its_own_widget_url_for_the_fans_wallet()
    {
        OutliveEveryToken();
        var fan = NewFan();
        var http = await factory.CreateClientAsync(fan);
        JsonElement first = default, second = default;

        var sent = await SentDuringAsync(async () => (first, second) = (await CreateAsync(http, fan), await CreateAsync(http, fan)));

        Assert.Equal([$"POST {FakeTransak.RefreshPath}", $"POST {FakeTransak.SessionPath}", $"POST {FakeTransak.SessionPath}"], sent.Select(r => r.Route));
        var refresh = sent[0];
        Assert.Equal(FakeTransak.ApiSecret, refresh.Header("api-secret"));
        Assert.StartsWith("application/json", refresh.Header("Content-Type"));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$"""{"apiKey":"{{TransakApiFactory.ApiKey}}"}"""), refresh.Json), refresh.Body);
        Assert.All(sent.Skip(1), session =>
        {
            Assert.Equal(Transak.IssuedTokens[^1], session.Header("access-token"));
            Assert.Null(session.Header("api-secret"));
            Assert.StartsWith("application/json", session.Header("Content-Type"));
        });

        var id = first.Text("partnerOrderId");
        var expected = JsonNode.Parse($$$"""
            {"widgetParams":{"apiKey":"{{{TransakApiFactory.ApiKey}}}","referrerDomain":"{{{TransakApiFactory.ReferrerDomain}}}",
             "partnerOrderId":"{{{id}}}","partnerCustomerId":"{{{fan.Address[..16]}}}","walletAddress":"{{{fan.Address}}}",
             "fiatCurrency":"INR","fiatAmount":250.75,"cryptoCurrencyCode":"ALGO","network":"algorand","productsAvailed":"BUY",
             "disableWalletAddressForm":true,"redirectURL":"{{{TransakApiFactory.RedirectUrl}}}"}}
            """);
        Assert.True(JsonNode.DeepEquals(expected, sent[1].Json), sent[1].Body);
        Assert.Matches("^https://global-stg\\.transak\\.com\\?apiKey=transak-test-api-key&sessionId=fake-session-\\d{4}$", first.Text("widgetUrl"));
        Assert.NotEqual(first.Text("widgetUrl"), second.Text("widgetUrl"));
        Assert.Equal((id, fan.Address), (first.GetProperty("widgetConfig").Text("partnerOrderId"), first.GetProperty("widgetConfig").Text("walletAddress")));
    }

    [Fact]
    public async Task The_token_is_refreshed_again_only_once_it_is_within_the_margin_of_its_expiry()
    {
        OutliveEveryToken();
        var fan = NewFan();
        await CreateAsync(await factory.CreateClientAsync(fan), fan);
        var token = Transak.IssuedTokens[^1];

        factory.Time.Advance(FakeTransak.TokenLifetime - TransakAccessTokenGrain.RefreshMargin - TimeSpan.FromMinutes(1));
        var http = await factory.CreateClientAsync(fan);
        var early = await SentDuringAsync(() => CreateAsync(http, fan));
        factory.Time.Advance(TimeSpan.FromMinutes(2));
        http = await factory.CreateClientAsync(fan);
        var late = await SentDuringAsync(() => CreateAsync(http, fan));

        Assert.Equal([(FakeTransak.SessionPath, token)], early.Select(r => (r.Path, r.Header("access-token"))));
        Assert.Equal([FakeTransak.RefreshPath, FakeTransak.SessionPath], late.Select(r => r.Path));
        Assert.NotEqual(token, Transak.IssuedTokens[^1]);
        Assert.Equal(Transak.IssuedTokens[^1], late[1].Header("access-token"));
    }

    [Fact]
    public async Task A_token_revoked_by_a_refresh_elsewhere_is_replaced_once_and_the_session_retried()
    {
        var fan = NewFan();
        var http = await factory.CreateClientAsync(fan);
        await CreateAsync(http, fan);
        var revoked = Transak.IssuedTokens[^1];
        Transak.RefreshElsewhere();
        JsonElement created = default;

        var sent = await SentDuringAsync(async () => created = await CreateAsync(http, fan));

        Assert.Equal([(FakeTransak.SessionPath, 401), (FakeTransak.RefreshPath, 200), (FakeTransak.SessionPath, 200)], sent.Select(r => (r.Path, r.Status)));
        Assert.Equal(revoked, sent[0].Header("access-token"));
        Assert.Equal(Transak.IssuedTokens[^1], sent[2].Header("access-token"));
        Assert.NotNull(created.Text("widgetUrl"));
    }

    [Theory]
    [InlineData(FakeTransak.SessionPath)]
    [InlineData(FakeTransak.RefreshPath)]
    public async Task Transak_failing_is_a_502_that_keeps_the_one_order_for_a_retry_which_gets_a_new_widget_url(string failingPath)
    {
        OutliveEveryToken();
        var fan = NewFan();
        var http = await factory.CreateClientAsync(fan);
        var key = Guid.NewGuid().ToString("N");

        Transak.Fail(failingPath, 500);
        try
        {
            var error = await HttpAssert.ErrorAsync(await PostCreateAsync(http, fan, key), HttpStatusCode.BadGateway, "onramp_unavailable");
            await HttpAssert.ErrorAsync(await PostCreateAsync(http, fan, key), HttpStatusCode.BadGateway, "onramp_unavailable");
            Assert.DoesNotContain(FakeTransak.ApiSecret, error.GetRawText());
        }
        finally
        {
            Transak.Heal(failingPath);
        }

        var retried = await CreateAsync(http, fan, key);
        var again = await CreateAsync(http, fan, key);

        Assert.Equal((retried.Text("partnerOrderId"), retried.GetProperty("orderId").GetInt64()), (again.Text("partnerOrderId"), again.GetProperty("orderId").GetInt64()));
        Assert.NotNull(retried.Text("widgetUrl"));
        Assert.NotEqual(retried.Text("widgetUrl"), again.Text("widgetUrl"));
        var orders = (await HttpAssert.OkAsync(await http.GetAsync($"/onramp/fan/{fan.Address}/orders"))).GetProperty("orders");
        Assert.Equal([retried.Text("partnerOrderId")], orders.EnumerateArray().Select(o => o.Text("partnerOrderId")));
        Assert.Equal("PENDING", orders[0].Text("status"));
    }

    [Fact]
    public async Task A_webhook_signed_with_the_refreshed_token_is_accepted_and_the_replaced_token_only_for_a_grace()
    {
        OutliveEveryToken();
        var fan = NewFan();
        var id = (await CreateAsync(await factory.CreateClientAsync(fan), fan)).Text("partnerOrderId");
        var replaced = Transak.IssuedTokens[^1];
        Assert.Equal("processing", await WebhookStatusAsync(TransakTokens.OrderBody(id, "AWAITING_PAYMENT_FROM_USER", fan.Address, key: replaced)));

        OutliveEveryToken();
        await CreateAsync(await factory.CreateClientAsync(fan), fan);
        var current = Transak.IssuedTokens[^1];

        Assert.Equal("ignored", await WebhookStatusAsync(TransakTokens.OrderBody(id, "PAYMENT_DONE_MARKED_BY_USER", fan.Address, key: replaced)));
        Assert.Equal("completed", await WebhookStatusAsync(TransakTokens.OrderBody(id, "COMPLETED", fan.Address, 12.5m, key: current)));
        factory.Time.Advance(TransakAccessTokenGrain.WebhookGrace + TimeSpan.FromSeconds(1));
        await HttpAssert.ErrorAsync(await PostWebhookAsync(TransakTokens.OrderBody(id, "REFUNDED", fan.Address, key: replaced)), HttpStatusCode.Unauthorized, "invalid_signature");
        Assert.Equal("refunded", await WebhookStatusAsync(TransakTokens.OrderBody(id, "REFUNDED", fan.Address, key: current)));
    }

    [Fact]
    public async Task Reading_an_open_order_applies_transaks_completed_status_once_through_the_webhook_path()
    {
        var fan = NewFan();
        var http = await factory.CreateClientAsync(fan);
        var id = (await CreateAsync(http, fan)).Text("partnerOrderId");
        var pending = await SentDuringAsync(() => http.GetAsync($"/onramp/order/{id}"));
        Assert.Equal("processing", await WebhookStatusAsync(TransakTokens.OrderBody(id, "AWAITING_PAYMENT_FROM_USER", fan.Address)));
        var transakId = "transak-" + id;
        Transak.Orders[transakId] = TransakOrder(transakId, id, "COMPLETED", fan.Address);
        JsonElement order = default, again = default;

        var sent = await SentDuringAsync(async () =>
        {
            order = await HttpAssert.OkAsync(await http.GetAsync($"/onramp/order/{id}"));
            again = await HttpAssert.OkAsync(await http.GetAsync($"/onramp/order/{id}"));
        });

        Assert.Empty(pending);
        Assert.Equal([($"GET {FakeTransak.OrderPath}{transakId}", Transak.IssuedTokens[^1])], sent.Select(r => (r.Route, r.Header("access-token"))));
        Assert.Equal(("COMPLETED", 58.9347m, fan.Address, "ALGO-TX-1"), (order.Text("status"), order.GetProperty("cryptoAmount").GetDecimal(),
            order.Text("fundedWallet"), order.Text("transactionHash")));
        Assert.Equal(order.GetRawText(), again.GetRawText());
        Assert.Equal("duplicate", await WebhookStatusAsync(TransakTokens.OrderBody(id, "COMPLETED", fan.Address, 99m)));
        Assert.Equal(58.9347m, (await HttpAssert.OkAsync(await http.GetAsync($"/onramp/order/{id}"))).GetProperty("cryptoAmount").GetDecimal());
    }

    [Fact]
    public async Task A_failed_or_foreign_re_fetch_answers_the_stored_order()
    {
        var fan = NewFan();
        var http = await factory.CreateClientAsync(fan);
        var id = (await CreateAsync(http, fan)).Text("partnerOrderId");
        await WebhookStatusAsync(TransakTokens.OrderBody(id, "AWAITING_PAYMENT_FROM_USER", fan.Address));
        var transakId = "transak-" + id;

        Transak.Fail(FakeTransak.OrderPath, 500);
        JsonElement failed;
        try
        {
            // A GET is retried after a back-off on the host's clock, which this factory's tests move by hand.
            failed = await HttpAssert.OkAsync(await factory.Time.AdvanceUntilAsync(http.GetAsync($"/onramp/order/{id}")));
        }
        finally
        {
            Transak.Heal(FakeTransak.OrderPath);
        }

        Transak.Orders[transakId] = TransakOrder(transakId, "tip_someone_elses_order", "COMPLETED", fan.Address);
        var foreign = await HttpAssert.OkAsync(await http.GetAsync($"/onramp/order/{id}"));

        Assert.Equal(("PROCESSING", "PROCESSING"), (failed.Text("status"), foreign.Text("status")));
        // The failing read was tried once and retried as its budget allows; the foreign one needed one request.
        Assert.Equal(1 + TransakPartnerClient.Budget.MaxRetries + 1, Transak.Requests.Count(r => r.Path == FakeTransak.OrderPath + transakId));
    }

    /// <summary>An order as Transak's order API returns it (<c>_id</c>, not a webhook's <c>id</c>).</summary>
    private static JsonObject TransakOrder(string transakId, string partnerOrderId, string status, string wallet) => new()
    {
        ["_id"] = transakId,
        ["partnerOrderId"] = partnerOrderId,
        ["status"] = status,
        ["fiatCurrency"] = "INR",
        ["fiatAmount"] = 250.75,
        ["cryptoCurrency"] = "ALGO",
        ["cryptoAmount"] = 58.9347,
        ["network"] = "algorand",
        ["isBuyOrSell"] = "BUY",
        ["walletAddress"] = wallet,
        ["transactionHash"] = "ALGO-TX-1",
    };
}
