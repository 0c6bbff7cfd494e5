using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FanForge.Api.Payments;
using FanForge.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Stripe;

namespace FanForge.Tests.Payments;

/// <summary>A clock a test sets to any instant, backwards too (a FakeTimeProvider only moves forward).</summary>
public sealed class SettableClock : TimeProvider
{
    private long ticks = DateTimeOffset.UtcNow.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref ticks), TimeSpan.Zero);

    public void SetUtcNow(DateTimeOffset at) => Interlocked.Exchange(ref ticks, at.UtcTicks);
}

/// <summary>The development host with Stripe pointed at <see cref="FakeStripe"/> and webhooks verified on a clock the tests set.</summary>
public sealed class StripeApiFactory : FanForgeApiFactory, IAsyncLifetime
{
    public FakeStripe Stripe { get; private set; } = null!;

    /// <summary>The webhook verifier's clock (the rest of the host keeps its own).</summary>
    public SettableClock WebhookClock { get; } = new();

    public async Task InitializeAsync() => Stripe = await FakeStripe.StartAsync();

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await Stripe.DisposeAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Stripe:SecretKey", "sk_test_fanforge_fake");
        builder.UseSetting("Stripe:WebhookSecret", StripeEvents.WebhookSecret);
        builder.UseSetting("Stripe:ApiBase", Stripe.BaseUrl.ToString());
        builder.UseSetting("Stripe:MaxNetworkRetries", "0");
        builder.UseSetting("Stripe:MinorUnitsPerAlgo", "20");
        builder.ConfigureTestServices(services => services.AddSingleton(sp =>
            new StripeWebhookVerifier(sp.GetRequiredService<IOptions<StripeSettings>>(), WebhookClock)));
    }
}

/// <summary>
/// Card payments over HTTP: Stripe.net against the fake Stripe for checkout, signed webhooks (the shared vector and
/// events signed here) for payment, refund and their failure modes.
/// </summary>
public sealed class PaymentsApiTests(StripeApiFactory factory) : IClassFixture<StripeApiFactory>
{
    private static readonly TestWallet Creator = new(241);
    private static readonly TestWallet Fan = new(242);
    private static readonly TestWallet OtherFan = new(243);
    private static int registered;



    /// <summary>A pending order of 2 × 3 ALGO by <see cref="Fan"/>; returns its id and the product.</summary>
    private async Task<(long OrderId, long ProductId)> PlaceOrderAsync()
    {
        if (Interlocked.Exchange(ref registered, 1) == 0)
        {
            await factory.RegisterCreatorAsync(Creator);
        }

        var creatorHttp = await factory.CreateClientAsync(Creator);
        var product = (await HttpAssert.OkAsync(await creatorHttp.PostAsJsonAsync($"/creator/{Creator.Address}/products",
            new { slug = $"tee-{Guid.NewGuid():N}"[..16], name = "Tour Tee", price_algo = 3.0, stock_quantity = 10 }))).GetProperty("data").GetProperty("id").GetInt64();
        var fanHttp = await factory.CreateClientAsync(Fan);
        var placed = await HttpAssert.OkAsync(await fanHttp.PostAsJsonAsync($"/creator/{Creator.Address}/store/order",
            new { fanWallet = Fan.Address, items = new[] { new { productId = product, quantity = 2 } } }));
        return (placed.GetProperty("data").GetProperty("order").GetProperty("id").GetInt64(), product);
    }

    private Task<HttpResponseMessage> PostWebhookAsync(string payload, string header)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/payments/webhook") { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Stripe-Signature", header);
        return factory.CreateClient().SendAsync(request);
    }

    /// <summary>Signs <paramref name="payload"/> now (on the verifier's clock, set to the wall clock) and posts it.</summary>
    private Task<HttpResponseMessage> PostSignedAsync(string payload)
    {
        var now = DateTimeOffset.UtcNow;
        factory.WebhookClock.SetUtcNow(now);
        return PostWebhookAsync(payload, EventUtility.GenerateSignatureHeader(payload, StripeEvents.WebhookSecret, now.ToUnixTimeSeconds()));
    }

    private async Task<string> OutcomeAsync(string payload) => (await HttpAssert.OkAsync(await PostSignedAsync(payload))).GetProperty("outcome").GetString()!;

    private async Task<JsonElement> OrderAsync(long id)
    {
        var orders = await (await factory.CreateClientAsync(Fan)).GetFromJsonAsync<JsonElement>($"/fan/{Fan.Address}/orders?limit=200");
        return orders.GetProperty("data").EnumerateArray().Single(o => o.GetProperty("id").GetInt64() == id);
    }

    private async Task<int> StockAsync(long product)
    {
        var store = await factory.CreateClient().GetFromJsonAsync<JsonElement>($"/creator/{Creator.Address}/store");
        return store.GetProperty("data").EnumerateArray().Single(p => p.GetProperty("id").GetInt64() == product).GetProperty("stock_quantity").GetInt32();
    }

    private async Task<JsonElement> CheckoutAsync(long orderId, TestWallet? as_ = null) =>
        await HttpAssert.OkAsync(await (await factory.CreateClientAsync(as_ ?? Fan)).PostAsJsonAsync("/payments/checkout", new { order_id = orderId }));

    [Fact]
    public async Task A_fan_pays_an_order_by_card_checkout_then_a_signed_completed_event_marks_it_paid()
    {
        var (orderId, product) = await PlaceOrderAsync();
        var id = orderId.ToString(CultureInfo.InvariantCulture);

        var checkout = await CheckoutAsync(orderId);
        var sessionId = checkout.GetProperty("session_id").GetString()!;
        Assert.Equal(orderId, checkout.GetProperty("order_id").GetInt64());
        Assert.Equal($"https://checkout.stripe.com/c/pay/{sessionId}", checkout.GetProperty("url").GetString());

        // What Stripe.net sent the fake: form-encoded, keyed for idempotency by the order, 6 ALGO × 20 = 120 cents.
        var sent = factory.Stripe.SessionCreations.Single(r => r.Form.GetValueOrDefault("client_reference_id") == id);
        Assert.Equal($"order-{id}-checkout", sent.IdempotencyKey);
        Assert.Equal("Bearer sk_test_fanforge_fake", sent.Headers["Authorization"]);
        Assert.Equal(("payment", "120", "usd", "1", id), (sent.Form["mode"], sent.Form["line_items[0][price_data][unit_amount]"],
            sent.Form["line_items[0][price_data][currency]"], sent.Form["line_items[0][quantity]"], sent.Form["metadata[order_id]"]));
        Assert.Equal(id, sent.Form["payment_intent_data[metadata][order_id]"]);
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(long.Parse(sent.Form["expires_at"], CultureInfo.InvariantCulture));
        Assert.InRange(expiresAt - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(32));
        Assert.Equal(expiresAt, (await OrderAsync(orderId)).GetProperty("expires_at").GetDateTimeOffset());

        // A retry gives the same session without asking Stripe again.
        var again = await CheckoutAsync(orderId);
        Assert.Equal(sessionId, again.GetProperty("session_id").GetString());
        Assert.Single(factory.Stripe.SessionCreations, r => r.Form.GetValueOrDefault("client_reference_id") == id);

        var completed = StripeEvents.Event($"evt_paid_{id}", "checkout.session.completed", StripeEvents.Session(sessionId, orderId, 120, $"pi_{id}"), DateTimeOffset.UtcNow);
        Assert.Equal("applied", await OutcomeAsync(completed));
        Assert.Equal("duplicate", await OutcomeAsync(completed));

        var order = await OrderAsync(orderId);
        Assert.Equal("PAID", order.GetProperty("status").GetString());
        Assert.Equal(8, await StockAsync(product));
        await HttpAssert.ErrorAsync(await (await factory.CreateClientAsync(Fan)).PostAsJsonAsync("/payments/checkout", new { order_id = orderId }), HttpStatusCode.Conflict, "order_not_payable");
    }

    [Fact]
    public async Task A_membership_bought_by_card_at_the_creators_price_is_active_once_per_session_and_renews_from_its_expiry()
    {
        var (creator, fan) = (new TestWallet(244), new TestWallet(245));
        await factory.RegisterCreatorAsync(creator);
        await HttpAssert.OkAsync(await (await factory.CreateClientAsync(creator)).PatchAsJsonAsync(
            $"/creator/{creator.Address}/pricing", new { membership_price_algo = 4.0, membership_validity_days = 10 }));
        var fanHttp = await factory.CreateClientAsync(fan);

        async Task<JsonElement> CheckoutMembershipAsync(string key)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/payments/checkout")
            {
                Content = JsonContent.Create(new { membership = new { creator_wallet = creator.Address } }),
            };
            request.Headers.Add("X-Idempotency-Key", key);
            return await HttpAssert.OkAsync(await fanHttp.SendAsync(request));
        }

        async Task<JsonElement> MembershipAsync() =>
            await factory.CreateClient().GetFromJsonAsync<JsonElement>($"/bauni/{fan.Address}/membership/{creator.Address}");

        // 4 ALGO × 20 = 80 cents, the creator's price; a retry under the same key is the same session, not a new one.
        var first = await CheckoutMembershipAsync("renew-1");
        var again = await CheckoutMembershipAsync("renew-1");
        var sessionId = first.GetProperty("session_id").GetString()!;
        Assert.Equal(sessionId, again.GetProperty("session_id").GetString());
        Assert.False(first.TryGetProperty("order_id", out _));
        Assert.Equal((4.0m, 10, 80L, "usd"), (first.GetProperty("membership").GetProperty("price_algo").GetDecimal(),
            first.GetProperty("membership").GetProperty("validity_days").GetInt32(), first.GetProperty("membership").GetProperty("amount_minor").GetInt64(),
            first.GetProperty("membership").GetProperty("currency").GetString()));
        var created = Assert.Single(factory.Stripe.SessionCreations, r => r.Form.GetValueOrDefault("metadata[membership_fan]") == fan.Address);
        Assert.Equal(("80", creator.Address, "renew-1"), (created.Form["line_items[0][price_data][unit_amount]"],
            created.Form["metadata[membership_creator]"], created.Form["payment_intent_data[metadata][membership_checkout]"]));
        Assert.False((await MembershipAsync()).GetProperty("is_valid").GetBoolean());

        var paid = StripeEvents.Event($"evt_m1_{fan.Address[..8]}", "checkout.session.completed", StripeEvents.MembershipSession(created, sessionId, 80, "pi_m1"), DateTimeOffset.UtcNow);
        var paidAt = DateTimeOffset.UtcNow;
        Assert.Equal("applied", await OutcomeAsync(paid));
        Assert.Equal("duplicate", await OutcomeAsync(paid));
        // Another event saying the same payment buys nothing more.
        Assert.Equal("duplicate", await OutcomeAsync(StripeEvents.Event($"evt_m1b_{fan.Address[..8]}", "checkout.session.async_payment_succeeded",
            StripeEvents.MembershipSession(created, sessionId, 80, "pi_m1"), DateTimeOffset.UtcNow)));

        var active = await MembershipAsync();
        var expiry = active.GetProperty("expires_at").GetDateTimeOffset();
        Assert.True(active.GetProperty("is_valid").GetBoolean());
        Assert.InRange(expiry, paidAt.AddDays(10).AddSeconds(-10), paidAt.AddDays(10).AddSeconds(10));
        // The same Bauni NFT a chain purchase earns.
        await ClusterHosts.EventuallyAsync(MembershipAsync, m => m.GetProperty("asset_id").ValueKind == JsonValueKind.Number, TimeSpan.FromSeconds(10), "the Bauni NFT");

        // A second purchase while active extends from the expiry, not from now; a wrong amount buys nothing.
        var second = await CheckoutMembershipAsync("renew-2");
        var secondId = second.GetProperty("session_id").GetString()!;
        Assert.NotEqual(sessionId, secondId);
        var secondCreated = factory.Stripe.SessionCreations.Last(r => r.Form.GetValueOrDefault("metadata[membership_checkout]") == "renew-2");
        Assert.Equal("recorded", await OutcomeAsync(StripeEvents.Event($"evt_m2x_{fan.Address[..8]}", "checkout.session.completed",
            StripeEvents.MembershipSession(secondCreated, secondId, 1, "pi_m2"), DateTimeOffset.UtcNow)));
        Assert.Equal(expiry, (await MembershipAsync()).GetProperty("expires_at").GetDateTimeOffset());
        Assert.Equal("applied", await OutcomeAsync(StripeEvents.Event($"evt_m2_{fan.Address[..8]}", "checkout.session.completed",
            StripeEvents.MembershipSession(secondCreated, secondId, 80, "pi_m2"), DateTimeOffset.UtcNow)));
        Assert.Equal(expiry.AddDays(10), (await MembershipAsync()).GetProperty("expires_at").GetDateTimeOffset());

        await HttpAssert.ErrorAsync(await fanHttp.PostAsJsonAsync("/payments/checkout", new { membership = new { creator_wallet = new TestWallet(246).Address } }),
            HttpStatusCode.NotFound, "not_found");
        await HttpAssert.ErrorAsync(await fanHttp.PostAsJsonAsync("/payments/checkout", new { order_id = 1, membership = new { creator_wallet = creator.Address } }),
            HttpStatusCode.BadRequest, "validation");
    }

    [Fact]
    public async Task A_refund_before_the_completion_ends_refunded_and_the_order_is_found_through_the_payment_intent()
    {
        var (orderId, product) = await PlaceOrderAsync();
        var id = orderId.ToString(CultureInfo.InvariantCulture);
        var sessionId = (await CheckoutAsync(orderId)).GetProperty("session_id").GetString()!;
        factory.Stripe.Intents[$"pi_r{id}"] = new() { ["order_id"] = id };

        // The charge carries no metadata: the order comes from its PaymentIntent, fetched from Stripe.
        Assert.Equal("applied", await OutcomeAsync(StripeEvents.Event($"evt_refund_{id}", "charge.refunded", StripeEvents.Charge($"pi_r{id}", 120, orderId: null), DateTimeOffset.UtcNow)));
        Assert.Equal("ignored", await OutcomeAsync(StripeEvents.Event($"evt_late_{id}", "checkout.session.completed", StripeEvents.Session(sessionId, orderId, 120, $"pi_r{id}"), DateTimeOffset.UtcNow)));

        Assert.Equal("REFUNDED", (await OrderAsync(orderId)).GetProperty("status").GetString());
        Assert.Equal(10, await StockAsync(product));
    }

    [Fact]
    public async Task A_failed_payment_is_recorded_and_unknown_types_and_orders_are_acknowledged()
    {
        var (orderId, _) = await PlaceOrderAsync();
        var id = orderId.ToString(CultureInfo.InvariantCulture);

        Assert.Equal("recorded", await OutcomeAsync(StripeEvents.Event($"evt_fail_{id}", "payment_intent.payment_failed", StripeEvents.FailedIntent($"pi_f{id}", 120, orderId), DateTimeOffset.UtcNow)));
        Assert.Equal("PENDING_PAYMENT", (await OrderAsync(orderId)).GetProperty("status").GetString());
        Assert.Equal("ignored", await OutcomeAsync(StripeEvents.Event($"evt_cust_{id}", "customer.created", new() { ["id"] = "cus_1", ["object"] = "customer" }, DateTimeOffset.UtcNow)));
        Assert.Equal("unknown_order", await OutcomeAsync(StripeEvents.Event($"evt_none_{id}", "checkout.session.completed", StripeEvents.Session("cs_none", 987_654_321, 120, "pi_none"), DateTimeOffset.UtcNow)));
    }

    [Fact]
    public async Task The_shared_signed_vector_is_accepted_at_its_timestamp_and_refused_when_stale_or_tampered()
    {
        var vector = Vectors.Load("stripe/webhook.json");
        var (payload, header, secret) = (vector.Text("payload"), vector.Text("header"), vector.Text("secret"));
        var timestamp = DateTimeOffset.FromUnixTimeSeconds(vector.GetProperty("timestamp").GetInt64());
        Assert.Equal(header, EventUtility.GenerateSignatureHeader(payload, secret, timestamp.ToUnixTimeSeconds()));

        // Verified with the vector's own secret at its timestamp: the same verifier the route uses.
        var verifier = new StripeWebhookVerifier(Options.Create(new StripeSettings { SecretKey = "sk_test_x", WebhookSecret = secret }), new FakeTimeProvider(timestamp));
        var session = Assert.IsType<Stripe.Checkout.Session>(verifier.Verify(payload, header).Data.Object);
        Assert.Equal(("order_42", "paid", 1500L), (session.ClientReferenceId, session.PaymentStatus, session.AmountTotal));
        foreach (var @case in vector.GetProperty("cases").EnumerateArray())
        {
            var caseVerifier = new StripeWebhookVerifier(
                Options.Create(new StripeSettings { SecretKey = "sk_test_x", WebhookSecret = @case.TryGetProperty("secret_override", out var s) ? s.GetString() : secret }),
                new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(@case.GetProperty("now").GetInt64())));
            var body = @case.Text("payload") == "payload+space" ? payload + " " : payload;
            var failure = Record.Exception(() => caseVerifier.Verify(body, @case.Text("header")));
            Assert.True((@case.Text("expect") == "valid") == (failure is null), $"{@case.Text("name")}: {failure?.Message}");
        }

        // Over HTTP the host's own secret applies, so the vector re-signed with it is accepted at the vector's time;
        // its order_42 is not one of ours: acknowledged, nothing applied.
        factory.WebhookClock.SetUtcNow(timestamp);
        var resigned = EventUtility.GenerateSignatureHeader(payload, StripeEvents.WebhookSecret, timestamp.ToUnixTimeSeconds());
        Assert.Equal("unknown_order", (await HttpAssert.OkAsync(await PostWebhookAsync(payload, resigned))).GetProperty("outcome").GetString());
        factory.WebhookClock.SetUtcNow(timestamp + TimeSpan.FromSeconds(301));
        await HttpAssert.ErrorAsync(await PostWebhookAsync(payload, resigned), HttpStatusCode.Unauthorized, "invalid_signature");
        factory.WebhookClock.SetUtcNow(timestamp);
        await HttpAssert.ErrorAsync(await PostWebhookAsync(payload, header), HttpStatusCode.Unauthorized, "invalid_signature"); // signed with another secret
        await HttpAssert.ErrorAsync(await PostWebhookAsync(payload + " ", resigned), HttpStatusCode.Unauthorized, "invalid_signature");
        await HttpAssert.ErrorAsync(await PostWebhookAsync(payload, ""), HttpStatusCode.Unauthorized, "invalid_signature");
    }

    [Fact]
    public async Task A_badly_signed_or_stale_completion_applies_nothing()
    {
        var (orderId, _) = await PlaceOrderAsync();
        var id = orderId.ToString(CultureInfo.InvariantCulture);
        var sessionId = (await CheckoutAsync(orderId)).GetProperty("session_id").GetString()!;
        var completed = StripeEvents.Event($"evt_bad_{id}", "checkout.session.completed", StripeEvents.Session(sessionId, orderId, 120, $"pi_b{id}"), DateTimeOffset.UtcNow);
        var now = DateTimeOffset.UtcNow;
        factory.WebhookClock.SetUtcNow(now);

        await HttpAssert.ErrorAsync(await PostWebhookAsync(completed, EventUtility.GenerateSignatureHeader(completed, "whsec_someone_else", now.ToUnixTimeSeconds())), HttpStatusCode.Unauthorized, "invalid_signature");
        await HttpAssert.ErrorAsync(await PostWebhookAsync(completed, EventUtility.GenerateSignatureHeader(completed, StripeEvents.WebhookSecret, now.AddMinutes(-6).ToUnixTimeSeconds())), HttpStatusCode.Unauthorized, "invalid_signature");

        Assert.Equal("PENDING_PAYMENT", (await OrderAsync(orderId)).GetProperty("status").GetString());
        // The same event, properly signed, is then applied: the refusals recorded nothing under its id.
        Assert.Equal("applied", await OutcomeAsync(completed));
    }

    [Fact]
    public async Task Checkout_is_for_the_orders_own_fan_and_an_existing_order()
    {
        var (orderId, _) = await PlaceOrderAsync();

        await HttpAssert.ErrorAsync(await (await factory.CreateClientAsync(OtherFan)).PostAsJsonAsync("/payments/checkout", new { order_id = orderId }), HttpStatusCode.Forbidden, "forbidden");
        await HttpAssert.ErrorAsync(await (await factory.CreateClientAsync(Fan)).PostAsJsonAsync("/payments/checkout", new { order_id = 987_654_321 }), HttpStatusCode.NotFound, "not_found");
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient().PostAsJsonAsync("/payments/checkout", new { order_id = orderId })).StatusCode);
        Assert.DoesNotContain(factory.Stripe.SessionCreations, r => r.Form.GetValueOrDefault("client_reference_id") == orderId.ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_stripe_failure_is_a_502_and_the_retry_sends_the_same_terms_under_the_same_key()
    {
        var (orderId, _) = await PlaceOrderAsync();
        var id = orderId.ToString(CultureInfo.InvariantCulture);
        factory.Stripe.FailNextSession = (400, "invalid_request_error", "parameter_invalid_integer");
        // The fake remembers answers by idempotency key, as Stripe does; a scripted failure is not remembered.
        var failed = await (await factory.CreateClientAsync(Fan)).PostAsJsonAsync("/payments/checkout", new { order_id = orderId });
        await HttpAssert.ErrorAsync(failed, HttpStatusCode.BadGateway, "stripe_error");

        await CheckoutAsync(orderId);

        var attempts = factory.Stripe.SessionCreations.Where(r => r.Form.GetValueOrDefault("client_reference_id") == id).ToList();
        Assert.Equal(2, attempts.Count);
        Assert.Equal(attempts[0].IdempotencyKey, attempts[1].IdempotencyKey);
        Assert.Equal(attempts[0].Form, attempts[1].Form);
    }
}

/// <summary>The development host as shipped: no Stripe keys, so the payment routes are switched off.</summary>
public sealed class PaymentsDisabledTests(FanForgeApiFactory factory) : IClassFixture<FanForgeApiFactory>
{
    [Fact]
    public async Task Without_a_secret_key_checkout_and_webhook_answer_503_stripe_disabled()
    {
        var http = await factory.CreateClientAsync(new TestWallet(244));
        var checkout = await http.PostAsJsonAsync("/payments/checkout", new { order_id = 1 });
        var webhook = await factory.CreateClient().PostAsync("/payments/webhook", new StringContent("{}", Encoding.UTF8, "application/json"));

        foreach (var response in new[] { checkout, webhook })
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("stripe_disabled", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString());
        }
    }
}
