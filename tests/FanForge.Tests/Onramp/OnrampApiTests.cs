using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FanForge.Tests.Infrastructure;

namespace FanForge.Tests.Onramp;

/// <summary>The on-ramp over HTTP: config, order creation and its checks, signed webhooks applied once and forward only.</summary>
public sealed class OnrampApiTests(TransakApiFactory factory) : IClassFixture<TransakApiFactory>
{
    private static readonly TestWallet Fan = new(251);
    private static readonly TestWallet OtherFan = new(252);
    private static readonly TestWallet Creator = new(253);
    private static readonly TestWallet ListFan = new(254);



    private Task<HttpResponseMessage> PostWebhookAsync(string body) =>
        factory.CreateClient().PostAsync("/onramp/webhook", new StringContent(body, Encoding.UTF8, "application/json"));

    private async Task<JsonElement> WebhookAsync(string body) => await HttpAssert.OkAsync(await PostWebhookAsync(body));

    private async Task<JsonElement> CreateAsync(HttpClient http, TestWallet fan, decimal amount = 500m, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/onramp/create-order")
        {
            Content = JsonContent.Create(new { fanWallet = fan.Address, creatorWallet = Creator.Address, fiatAmount = amount, fiatCurrency = "INR" }),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("X-Idempotency-Key", idempotencyKey);
        }

        return await HttpAssert.OkAsync(await http.SendAsync(request));
    }

    [Fact]
    public async Task The_config_reports_live_mode_with_the_public_key_and_never_a_secret()
    {
        var text = await factory.CreateClient().GetStringAsync("/onramp/config");
        var config = JsonDocument.Parse(text).RootElement;

        Assert.False(config.GetProperty("simulationMode").GetBoolean());
        Assert.Equal(TransakApiFactory.ApiKey, config.Text("apiKey"));
        Assert.Equal("STAGING", config.Text("environment"));
        Assert.Equal(2.0, config.GetProperty("platformFeePercent").GetDouble());
        Assert.Equal(["INR"], config.GetProperty("supportedFiat").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["ALGO"], config.GetProperty("supportedCrypto").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["upi"], config.GetProperty("supportedPaymentMethods").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(8.47, config.GetProperty("mockConversionRate").GetDouble());
        Assert.True(config.TryGetProperty("platformWallet", out _));
        Assert.DoesNotContain(TransakTokens.AccessToken, text);
        Assert.DoesNotContain("transak-test-api-secret", text);
    }

    [Fact]
    public async Task A_fan_creates_an_order_whose_widget_delivers_to_the_fans_own_wallet()
    {
        var http = await factory.CreateClientAsync(Fan);

        var created = await CreateAsync(http, Fan, 499.5m);

        var id = created.Text("partnerOrderId");
        Assert.Matches($"^tip_{Fan.Address[..8]}_{Creator.Address[..8]}_[0-9a-f]{{12}}$", id);
        Assert.StartsWith("https://global-stg.transak.com?apiKey=", created.Text("widgetUrl"));
        Assert.True(created.GetProperty("orderId").GetInt64() > 0);
        var widget = created.GetProperty("widgetConfig");
        Assert.Equal(Fan.Address, widget.Text("walletAddress"));
        Assert.Equal((TransakApiFactory.ApiKey, "STAGING", "INR", "ALGO", "algorand", 499.5m, "upi", id, Fan.Address[..16], true, true, "6366f1"),
            (widget.Text("apiKey"), widget.Text("environment"), widget.Text("fiatCurrency"), widget.Text("cryptoCurrencyCode"), widget.Text("network"),
             widget.GetProperty("fiatAmount").GetDecimal(), widget.Text("paymentMethod"), widget.Text("partnerOrderId"), widget.Text("partnerCustomerId"),
             widget.GetProperty("disableWalletAddressForm").GetBoolean(), widget.GetProperty("hideMenu").GetBoolean(), widget.Text("themeColor")));

        var order = await HttpAssert.OkAsync(await http.GetAsync($"/onramp/order/{id}"));
        Assert.Equal(("PENDING", 499.5m, "INR", JsonValueKind.Null, JsonValueKind.Null), (order.Text("status"), order.GetProperty("fiatAmount").GetDecimal(),
            order.Text("fiatCurrency"), order.GetProperty("cryptoAmount").ValueKind, order.GetProperty("completedAt").ValueKind));
    }

    [Fact]
    public async Task A_retry_with_the_same_idempotency_key_returns_the_same_order_and_other_terms_conflict()
    {
        var http = await factory.CreateClientAsync(Fan);
        var key = Guid.NewGuid().ToString("N");

        var first = await CreateAsync(http, Fan, 100m, key);
        var again = await CreateAsync(http, Fan, 100m, key);
        var fresh = await CreateAsync(http, Fan, 100m);

        Assert.Equal(first.Text("partnerOrderId"), again.Text("partnerOrderId"));
        Assert.Equal(first.GetProperty("orderId").GetInt64(), again.GetProperty("orderId").GetInt64());
        Assert.NotEqual(first.Text("partnerOrderId"), fresh.Text("partnerOrderId"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/onramp/create-order")
        {
            Content = JsonContent.Create(new { fanWallet = Fan.Address, creatorWallet = Creator.Address, fiatAmount = 200 }),
        };
        request.Headers.Add("X-Idempotency-Key", key);
        await HttpAssert.ErrorAsync(await http.SendAsync(request), HttpStatusCode.Conflict, "onramp_order_conflict");
    }

    [Fact]
    public async Task Create_order_accepts_snake_case_like_the_prototype()
    {
        var http = await factory.CreateClientAsync(Fan);

        var created = await HttpAssert.OkAsync(await http.PostAsJsonAsync("/onramp/create-order",
            new { fan_wallet = Fan.Address, creator_wallet = Creator.Address, fiat_amount = 50, fiat_currency = "inr" }));

        Assert.Equal(50m, created.GetProperty("widgetConfig").GetProperty("fiatAmount").GetDecimal());
    }

    public static TheoryData<string, string> InvalidOrders() => new()
    {
        { """{"fanWallet":"FAN","creatorWallet":"CREATOR","fiatAmount":0}""", "validation" },
        { """{"fanWallet":"FAN","creatorWallet":"CREATOR","fiatAmount":-5}""", "validation" },
        { """{"fanWallet":"FAN","creatorWallet":"CREATOR","fiatAmount":1.005}""", "validation" },
        { """{"fanWallet":"FAN","creatorWallet":"CREATOR","fiatAmount":100000000}""", "validation" },
        { """{"fanWallet":"FAN","creatorWallet":"CREATOR"}""", "validation" },
        { """{"fanWallet":"FAN","creatorWallet":"not-an-address","fiatAmount":10}""", "invalid_address" },
        { """{"fanWallet":"FAN","fiatAmount":10}""", "invalid_address" },
        { """{"fanWallet":"FAN","creatorWallet":"CREATOR","fiatAmount":10,"fiatCurrency":"USD"}""", "unsupported_currency" },
        { """{"fanWallet":"FAN","creatorWallet":"CREATOR","fiatAmount":"ten"}""", "malformed_json" },
    };

    [Theory]
    [MemberData(nameof(InvalidOrders))]
    public async Task Create_order_refuses_invalid_input_with_a_400(string template, string code)
    {
        var http = await factory.CreateClientAsync(Fan);
        var body = template.Replace("\"FAN\"", $"\"{Fan.Address}\"").Replace("\"CREATOR\"", $"\"{Creator.Address}\"");

        var response = await http.PostAsync("/onramp/create-order", new StringContent(body, Encoding.UTF8, "application/json"));

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        if (code != "invalid_address")
        {
            Assert.Equal(code, JsonDocument.Parse(text).RootElement.GetProperty("error").Text("code"));
        }
    }

    [Fact]
    public async Task Create_order_needs_a_token_and_the_callers_own_fan_wallet()
    {
        var body = new { fanWallet = Fan.Address, creatorWallet = Creator.Address, fiatAmount = 10 };

        await HttpAssert.ErrorAsync(await factory.CreateClient().PostAsJsonAsync("/onramp/create-order", body), HttpStatusCode.Unauthorized, "unauthorized");
        await HttpAssert.ErrorAsync(await (await factory.CreateClientAsync(OtherFan)).PostAsJsonAsync("/onramp/create-order", body), HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task A_completed_webhook_records_the_funding_once_and_a_late_processing_never_regresses_it()
    {
        var http = await factory.CreateClientAsync(Fan);
        var id = (await CreateAsync(http, Fan)).Text("partnerOrderId");

        Assert.Equal("processing", (await WebhookAsync(TransakTokens.OrderBody(id, "AWAITING_PAYMENT_FROM_USER", Fan.Address))).Text("status"));
        var completed = TransakTokens.OrderBody(id, "COMPLETED", Fan.Address, 58.9347m);
        var applied = await WebhookAsync(completed);
        var replayed = await WebhookAsync(completed);
        var late = await WebhookAsync(TransakTokens.OrderBody(id, "PROCESSING", Fan.Address));

        Assert.Equal(("completed", "COMPLETED"), (applied.Text("status"), applied.Text("orderStatus")));
        Assert.Equal(("duplicate", "COMPLETED"), (replayed.Text("status"), replayed.Text("orderStatus")));
        Assert.Equal(("ignored", "stale_status", "COMPLETED"), (late.Text("status"), late.Text("reason"), late.Text("orderStatus")));
        var order = await HttpAssert.OkAsync(await http.GetAsync($"/onramp/order/{id}"));
        Assert.Equal(("COMPLETED", 58.9347m, Fan.Address, JsonValueKind.Null), (order.Text("status"), order.GetProperty("cryptoAmount").GetDecimal(),
            order.Text("fundedWallet"), order.GetProperty("tipTxId").ValueKind));
        Assert.NotEqual(JsonValueKind.Null, order.GetProperty("completedAt").ValueKind);

        // A refund after completion still moves forward; a failure after it does not.
        Assert.Equal(("ignored", "stale_status"), await StatusAndReasonAsync(TransakTokens.OrderBody(id, "FAILED", Fan.Address)));
        Assert.Equal("refunded", (await WebhookAsync(TransakTokens.OrderBody(id, "REFUNDED", Fan.Address))).Text("status"));
    }

    private async Task<(string, string?)> StatusAndReasonAsync(string body)
    {
        var reply = await WebhookAsync(body);
        return (reply.Text("status"), reply.TryGetProperty("reason", out var reason) ? reason.GetString() : null);
    }

    [Fact]
    public async Task The_shared_vector_is_accepted_and_ignored_for_an_order_that_is_not_ours()
    {
        var reply = await WebhookAsync(TransakTokens.VectorBody);

        Assert.Equal(("ignored", "unknown_order"), (reply.Text("status"), reply.Text("reason")));
    }

    [Fact]
    public async Task Unsigned_tampered_or_malformed_webhooks_are_refused_and_change_nothing()
    {
        var http = await factory.CreateClientAsync(Fan);
        var id = (await CreateAsync(http, Fan)).Text("partnerOrderId");
        var claims = new { webhookData = new { partnerOrderId = id, status = "COMPLETED", cryptoAmount = 1 }, eventID = "ORDER_COMPLETED" };

        await HttpAssert.ErrorAsync(await PostWebhookAsync(TransakTokens.OrderBody(id, "COMPLETED", Fan.Address, 1m, key: "someone-elses-partner-access-token-0123456789")),
            HttpStatusCode.Unauthorized, "invalid_signature");
        await HttpAssert.ErrorAsync(await PostWebhookAsync(TransakTokens.Body(TransakTokens.Segment(new { alg = "none" }) + "." + TransakTokens.Segment(claims) + ".")),
            HttpStatusCode.Unauthorized, "invalid_signature");
        await HttpAssert.ErrorAsync(await PostWebhookAsync(TransakTokens.Body(TransakTokens.Sign(claims, header: new { alg = "RS256" }))),
            HttpStatusCode.Unauthorized, "invalid_signature");
        var parts = TransakTokens.Sign(claims).Split('.');
        var other = TransakTokens.Segment(new { webhookData = new { partnerOrderId = id, status = "COMPLETED", cryptoAmount = 1000 }, eventID = "ORDER_COMPLETED" });
        await HttpAssert.ErrorAsync(await PostWebhookAsync(TransakTokens.Body($"{parts[0]}.{other}.{parts[2]}")), HttpStatusCode.Unauthorized, "invalid_signature");
        await HttpAssert.ErrorAsync(await PostWebhookAsync("{not json"), HttpStatusCode.BadRequest, "malformed_json");
        await HttpAssert.ErrorAsync(await PostWebhookAsync("""{"data":"abc"}"""), HttpStatusCode.BadRequest, "validation");
        await HttpAssert.ErrorAsync(await PostWebhookAsync(TransakTokens.Body(TransakTokens.Sign(new { eventID = "ORDER_COMPLETED" }))), HttpStatusCode.BadRequest, "validation");

        Assert.Equal("PENDING", (await HttpAssert.OkAsync(await http.GetAsync($"/onramp/order/{id}"))).Text("status"));
    }

    [Fact]
    public async Task An_unhandled_status_is_acknowledged_and_ignored()
    {
        var http = await factory.CreateClientAsync(Fan);
        var id = (await CreateAsync(http, Fan)).Text("partnerOrderId");

        Assert.Equal(("ignored", "unhandled_status_SOMETHING_NEW"), await StatusAndReasonAsync(TransakTokens.OrderBody(id, "SOMETHING_NEW", Fan.Address)));
    }

    [Fact]
    public async Task An_order_is_visible_to_its_fan_only()
    {
        var id = (await CreateAsync(await factory.CreateClientAsync(Fan), Fan)).Text("partnerOrderId");

        await HttpAssert.ErrorAsync(await (await factory.CreateClientAsync(OtherFan)).GetAsync($"/onramp/order/{id}"), HttpStatusCode.NotFound, "not_found");
        await HttpAssert.ErrorAsync(await (await factory.CreateClientAsync(Fan)).GetAsync("/onramp/order/tip_nothing_here"), HttpStatusCode.NotFound, "not_found");
        await HttpAssert.ErrorAsync(await factory.CreateClient().GetAsync($"/onramp/order/{id}"), HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task A_fans_list_shows_the_last_20_orders_newest_first_to_the_fan_only()
    {
        var http = await factory.CreateClientAsync(ListFan);
        var ids = new List<string>();
        for (var i = 1; i <= 22; i++)
        {
            ids.Add((await CreateAsync(http, ListFan, i)).Text("partnerOrderId"));
        }

        await WebhookAsync(TransakTokens.OrderBody(ids[^1], "COMPLETED", ListFan.Address, 2.5m));
        var list = (await HttpAssert.OkAsync(await http.GetAsync($"/onramp/fan/{ListFan.Address}/orders"))).GetProperty("orders").EnumerateArray().ToList();

        Assert.Equal(Enumerable.Reverse(ids).Take(20), list.Select(o => o.Text("partnerOrderId")));
        Assert.Equal(("COMPLETED", 22m, "INR", 2.5m), (list[0].Text("status"), list[0].GetProperty("fiatAmount").GetDecimal(), list[0].Text("fiatCurrency"),
            list[0].GetProperty("cryptoAmount").GetDecimal()));
        Assert.True(list[0].TryGetProperty("createdAt", out _) && list[0].TryGetProperty("tipAmount", out _));
        await HttpAssert.ErrorAsync(await (await factory.CreateClientAsync(OtherFan)).GetAsync($"/onramp/fan/{ListFan.Address}/orders"), HttpStatusCode.Forbidden, "forbidden");
    }
}

/// <summary>The development host without Transak settings: simulation mode.</summary>
public sealed class OnrampSimulationTests(FanForgeApiFactory factory) : IClassFixture<FanForgeApiFactory>
{
    [Fact]
    public async Task Without_keys_the_config_says_simulation_and_the_webhook_is_403()
    {
        var config = await factory.CreateClient().GetFromJsonAsync<JsonElement>("/onramp/config");
        var webhook = await factory.CreateClient().PostAsync("/onramp/webhook", new StringContent(TransakTokens.VectorBody, Encoding.UTF8, "application/json"));

        Assert.True(config.GetProperty("simulationMode").GetBoolean());
        Assert.Equal(JsonValueKind.Null, config.GetProperty("apiKey").ValueKind);
        Assert.Equal(HttpStatusCode.Forbidden, webhook.StatusCode);
        Assert.Equal("onramp_webhooks_disabled", (await webhook.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").Text("code"));
    }

    [Fact]
    public async Task In_simulation_mode_an_order_has_the_widget_config_and_a_null_widget_url()
    {
        var fan = new TestWallet(255);
        var http = await factory.CreateClientAsync(fan);

        var created = await HttpAssert.OkAsync(await http.PostAsJsonAsync("/onramp/create-order",
            new { fanWallet = fan.Address, creatorWallet = new TestWallet(253).Address, fiatAmount = 10 }));

        Assert.Equal(JsonValueKind.Null, created.GetProperty("widgetUrl").ValueKind);
        Assert.Equal((JsonValueKind.Null, fan.Address), (created.GetProperty("widgetConfig").GetProperty("apiKey").ValueKind, created.GetProperty("widgetConfig").Text("walletAddress")));
    }
}
