using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FanForge.Api.Audit;
using FanForge.GrainInterfaces.Audit;
using FanForge.GrainInterfaces.Errors;
using FanForge.Grains.Algorand;
using FanForge.Grains.Audit;
using FanForge.Tests.Auth;
using FanForge.Tests.Hosting;
using FanForge.Tests.Infrastructure;
using FanForge.Tests.Templates;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace FanForge.Tests.Audit;

/// <summary>
/// The development host's trail (one grain) behind a switch that makes the next appends fail as an unreachable
/// database would; every request arrives through a trusted proxy at 127.0.0.1, so the client's address is the one
/// <c>X-Forwarded-For</c> names.
/// </summary>
public sealed class AuditApiFactory : FanForgeApiFactory
{
    public static readonly TestWallet Admin = AdminApiFactory.Admin;

    public FailingAuditTrail Trail { get; private set; } = null!;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Auth:AdminWallets:0", Admin.Address);
        builder.UseSetting("Ipfs:LocalPath", Path.Combine(Path.GetTempPath(), "fanforge-ipfs-audit-" + Guid.NewGuid().ToString("N")[..8]));
        builder.UseSetting("ForwardedHeaders:KnownProxies:0", "127.0.0.1");
        builder.ConfigureServices(s => s.AddSingleton<IStartupFilter, ProxyConnection>());
        builder.ConfigureTestServices(s => s.AddSingleton<IAuditTrail>(sp =>
            Trail = new FailingAuditTrail(new GrainAuditTrail(sp.GetRequiredService<IGrainFactory>()))));
    }
}

/// <summary>The real trail, except that the next <see cref="FailNext"/> appends fail before reaching it.</summary>
public sealed class FailingAuditTrail(IAuditTrail inner) : IAuditTrail
{
    private int failures;

    public void FailNext(int appends) => Volatile.Write(ref failures, appends);

    public Task<AuditEntry> AppendAsync(AuditRecord record) => Interlocked.Decrement(ref failures) >= 0
        ? throw new InfrastructureUnavailableException("Npgsql.NpgsqlException")
        : inner.AppendAsync(record);

    public Task<AuditPage> QueryAsync(AuditQuery query) => inner.QueryAsync(query);
}

public sealed class AuditTrailApiTests(AuditApiFactory factory) : IClassFixture<AuditApiFactory>
{
    private const string ClientAddress = "203.0.113.7";

    private async Task<HttpClient> ClientAsync(TestWallet wallet)
    {
        var http = await factory.CreateClientAsync(wallet);
        // A spoofed hop on the left is the client's own say-so: the trusted proxy's entry (the rightmost) counts.
        http.DefaultRequestHeaders.Add("X-Forwarded-For", $"198.51.100.66, {ClientAddress}");
        return http;
    }

    private async Task<(TestWallet Wallet, HttpClient Http)> CreatorAsync()
    {
        var creator = TemplatesApiFactory.NewWallet();
        var http = await ClientAsync(creator);
        await HttpAssert.OkAsync(await http.PostAsJsonAsync("/creator/register", new { wallet_address = creator.Address, min_tip_algo = 0.5 }));
        return (creator, http);
    }

    private HttpClient? adminHttp;

    /// <summary>Every entry of <paramref name="query"/>, following the cursor.</summary>
    private async Task<List<JsonElement>> EntriesAsync(string query)
    {
        var admin = adminHttp ??= await factory.CreateClientAsync(Admin);
        var entries = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await HttpAssert.OkAsync(await admin.GetAsync($"/admin/audit?{query}&limit=3{(cursor is null ? "" : "&cursor=" + cursor)}"));
            entries.AddRange(page.GetProperty("entries").EnumerateArray());
            cursor = page.GetProperty("next_cursor").GetString();
        }
        while (cursor is not null);
        return entries;
    }

    private static TestWallet Admin => AuditApiFactory.Admin;

    /// <summary>
    /// The one entry <paramref name="response"/>'s request recorded, checked for who, when, where from and what; its
    /// <c>changes</c> is returned for the caller's checks of what changed.
    /// </summary>
    private async Task<JsonElement> RecordedAsync(
        HttpResponseMessage response, string kind, string actor, string? wallet, string subject, DateTimeOffset before, string role = AuditRecorder.CreatorRole)
    {
        await HttpAssert.OkAsync(response);
        var requestId = Assert.Single(response.Headers.GetValues("X-Request-Id"));
        var entries = (await EntriesAsync($"kind={kind}")).Where(e => e.GetProperty("request_id").GetString() == requestId).ToList();
        var entry = Assert.Single(entries);
        Assert.Equal((actor, role, wallet, subject, ClientAddress), (entry.GetProperty("actor").GetString(), entry.GetProperty("actor_role").GetString(),
            entry.GetProperty("wallet").GetString(), entry.GetProperty("subject").GetString(), entry.GetProperty("client_address").GetString()));
        Assert.InRange(entry.GetProperty("at").GetDateTimeOffset(), before.AddTicks(-10), DateTimeOffset.UtcNow);
        return entry.GetProperty("changes");
    }

    private static JsonElement Field(JsonElement changes, string name, string side) => changes.GetProperty(name).GetProperty(side);

    [Fact]
    public async Task Every_audited_route_records_one_entry_with_who_when_what_the_request_and_the_client()
    {
        var creator = TemplatesApiFactory.NewWallet();
        var http = await ClientAsync(creator);
        var fan = TemplatesApiFactory.NewWallet();
        var admin = await ClientAsync(Admin);
        var c = $"/creator/{creator.Address}";
        var start = DateTimeOffset.UtcNow;

        var registered = await RecordedAsync(await http.PostAsJsonAsync("/creator/register", new { wallet_address = creator.Address, min_tip_algo = 0.5 }),
            AuditKinds.CreatorRegistered, creator.Address, creator.Address, $"creator:{creator.Address}", start);
        Assert.Equal(500_000, Field(registered, "min_tip_micro", "after").GetInt64());
        Assert.False(registered.GetProperty("app_id").TryGetProperty("before", out _));

        var pricing = await RecordedAsync(await http.PatchAsJsonAsync($"{c}/pricing", new { membership_price_algo = 7.5 }),
            AuditKinds.PricingChanged, creator.Address, creator.Address, $"creator:{creator.Address}", start);
        Assert.Equal((5_000_000, 7_500_000), (Field(pricing, "membership_price_micro", "before").GetInt64(), Field(pricing, "membership_price_micro", "after").GetInt64()));
        Assert.False(pricing.TryGetProperty("shawty_price_micro", out _), "only changed fields are listed");

        var productResponse = await http.PostAsJsonAsync($"{c}/products", new { slug = "audit-mug", name = "Mug", price_algo = 1.5, stock_quantity = 5 });
        var productId = (await HttpAssert.OkAsync(productResponse)).GetProperty("data").GetProperty("id").GetInt64();
        var created = await RecordedAsync(productResponse, AuditKinds.ProductCreated, creator.Address, creator.Address, $"product:{productId}", start);
        Assert.Equal(("audit-mug", 1_500_000), (Field(created, "slug", "after").GetString(), Field(created, "price_micro", "after").GetInt64()));

        var updated = await RecordedAsync(await http.PatchAsJsonAsync($"{c}/products/{productId}", new { price_algo = 2 }),
            AuditKinds.ProductUpdated, creator.Address, creator.Address, $"product:{productId}", start);
        Assert.Equal(["price_micro"], updated.EnumerateObject().Select(p => p.Name));
        Assert.Equal((1_500_000, 2_000_000), (Field(updated, "price_micro", "before").GetInt64(), Field(updated, "price_micro", "after").GetInt64()));

        var deleted = await RecordedAsync(await http.DeleteAsync($"{c}/products/{productId}"),
            AuditKinds.ProductDeleted, creator.Address, creator.Address, $"product:{productId}", start);
        Assert.Equal((true, false), (Field(deleted, "active", "before").GetBoolean(), Field(deleted, "active", "after").GetBoolean()));

        var discountResponse = await http.PostAsJsonAsync($"{c}/discounts", new { discountType = "PERCENT", value = 10 });
        var discountId = (await HttpAssert.OkAsync(discountResponse)).GetProperty("data").GetProperty("id").GetInt64();
        var discount = await RecordedAsync(discountResponse, AuditKinds.DiscountCreated, creator.Address, creator.Address, $"discount:{discountId}", start);
        Assert.Equal("PERCENT", Field(discount, "discount_type", "after").GetString());

        var soulbound = await HttpAssert.OkAsync(await http.PostAsync($"{c}/sticker-template", TemplatesApiFactory.Form("Audit Star", TemplatesApiFactory.Png(), "soulbound", "audit_s", "1")));
        var golden = await http.PostAsync($"{c}/sticker-template", TemplatesApiFactory.Form("Audit Gold", TemplatesApiFactory.Png(), "golden", "audit_g", "1"));
        var goldenId = (await HttpAssert.OkAsync(golden)).GetProperty("id").GetInt64();
        var template = await RecordedAsync(golden, AuditKinds.TemplateCreated, creator.Address, creator.Address, $"template:{goldenId}", start);
        Assert.Equal(("Audit Gold", "golden"), (Field(template, "name", "after").GetString(), Field(template, "sticker_type", "after").GetString()));

        foreach (var (route, kind) in new[] { ("pause-contract", AuditKinds.ContractPause), ("unpause-contract", AuditKinds.ContractUnpause), ("upgrade-contract", AuditKinds.ContractUpgrade) })
        {
            var response = await http.PostAsync($"{c}/{route}", null);
            var call = await HttpAssert.OkAsync(response);
            var appId = call.GetProperty("appId").GetUInt64();
            var txid = Transaction.Decode(Convert.FromBase64String(call.GetProperty("unsignedTxn").GetString()!)).TxId;
            var changes = await RecordedAsync(response, kind, creator.Address, creator.Address, $"contract:{appId}", start);
            Assert.Equal((txid, appId), (Field(changes, "txid", "after").GetString(), Field(changes, "app_id", "after").GetUInt64()));
        }

        foreach (var (type, templateId) in new[] { ("soulbound", soulbound.GetProperty("id").GetInt64()), ("golden", goldenId) })
        {
            var response = await admin.PostAsJsonAsync($"/nft/mint/{type}", new { templateId, fanWallet = fan.Address });
            var nftId = (await HttpAssert.OkAsync(response)).GetProperty("nftId").GetInt64();
            var mint = await RecordedAsync(response, AuditKinds.PlatformMint, Admin.Address, fan.Address, $"nft:{nftId}", start, AuditRecorder.AdminRole);
            Assert.Equal((type, templateId, creator.Address), (Field(mint, "sticker_type", "after").GetString(), Field(mint, "template_id", "after").GetInt64(),
                Field(mint, "creator_wallet", "after").GetString()));
        }

        var spare = await HttpAssert.OkAsync(await http.PostAsync($"{c}/sticker-template", TemplatesApiFactory.Form("Spare", TemplatesApiFactory.Png(), "golden", "audit_spare", "1")));
        var removed = await RecordedAsync(await http.DeleteAsync($"{c}/template/{spare.GetProperty("id").GetInt64()}"),
            AuditKinds.TemplateDeleted, creator.Address, creator.Address, $"template:{spare.GetProperty("id").GetInt64()}", start);
        Assert.Equal("Spare", Field(removed, "name", "before").GetString());

        var status = await factory.CreateClient().GetFromJsonAsync<JsonElement>("/listener/status");
        var next = status.GetProperty("lastProcessedRound").GetUInt64() + 1;
        var resumed = await RecordedAsync(await admin.PostAsJsonAsync("/listener/resume", new { from_round = next }),
            AuditKinds.ListenerResumed, Admin.Address, null, "listener", start, AuditRecorder.AdminRole);
        Assert.Equal(next, Field(resumed, "from_round", "after").GetUInt64());

        // Nothing else was recorded about the creator: registration, price, three product writes, discount, three
        // templates and one deletion, three contract calls; the mints are the fan's.
        var byCreator = await EntriesAsync($"wallet={creator.Address}");
        Assert.Equal(13, byCreator.Count);
        Assert.All(byCreator, e => Assert.Equal(creator.Address, e.GetProperty("actor").GetString()));
        Assert.Equal(2, (await EntriesAsync($"wallet={fan.Address}")).Count);
    }

    [Fact]
    public async Task A_retried_write_records_its_change_once()
    {
        var (creator, http) = await CreatorAsync();
        var c = $"/creator/{creator.Address}";
        async Task<HttpResponseMessage> WithKeyAsync(HttpMethod method, string path, HttpContent? content, string key)
        {
            using var request = new HttpRequestMessage(method, path) { Content = content };
            request.Headers.Add("X-Idempotency-Key", key);
            return await http.SendAsync(request);
        }

        var firstProduct = await HttpAssert.OkAsync(await WithKeyAsync(HttpMethod.Post, $"{c}/products", JsonContent.Create(new { slug = "once", name = "Once", price_algo = 1 }), "p-1"));
        var retriedProduct = await HttpAssert.OkAsync(await WithKeyAsync(HttpMethod.Post, $"{c}/products", JsonContent.Create(new { slug = "once", name = "Once", price_algo = 1 }), "p-1"));
        Assert.Equal(firstProduct.GetProperty("data").GetProperty("id").GetInt64(), retriedProduct.GetProperty("data").GetProperty("id").GetInt64());
        for (var i = 0; i < 2; i++)
        {
            await HttpAssert.OkAsync(await http.PatchAsJsonAsync($"{c}/pricing", new { shawty_price_algo = 3 }));
            await HttpAssert.OkAsync(await http.PatchAsJsonAsync($"{c}/products/{firstProduct.GetProperty("data").GetProperty("id").GetInt64()}", new { name = "Once more" }));
            await HttpAssert.OkAsync(await WithKeyAsync(HttpMethod.Post, $"{c}/discounts", JsonContent.Create(new { discountType = "PERCENT", value = 5 }), "d-1"));
        }

        var template = await HttpAssert.OkAsync(await WithKeyAsync(HttpMethod.Post, $"{c}/sticker-template",
            TemplatesApiFactory.Form("Twice", TemplatesApiFactory.Png(), "golden", "audit_twice", "1"), "t-1"));
        await HttpAssert.OkAsync(await WithKeyAsync(HttpMethod.Post, $"{c}/sticker-template",
            TemplatesApiFactory.Form("Twice", TemplatesApiFactory.Png(), "golden", "audit_twice", "1"), "t-1"));
        var admin = await ClientAsync(Admin);
        for (var i = 0; i < 2; i++)
        {
            using var mint = new HttpRequestMessage(HttpMethod.Post, "/nft/mint/golden") { Content = JsonContent.Create(new { templateId = template.GetProperty("id").GetInt64(), fanWallet = creator.Address }) };
            mint.Headers.Add("X-Idempotency-Key", "m-1");
            await HttpAssert.OkAsync(await admin.SendAsync(mint));
        }

        var kinds = (await EntriesAsync($"wallet={creator.Address}")).Select(e => e.GetProperty("kind").GetString()!).Order(StringComparer.Ordinal);
        Assert.Equal(
            new[] { AuditKinds.CreatorRegistered, AuditKinds.PricingChanged, AuditKinds.PlatformMint, AuditKinds.ProductCreated, AuditKinds.ProductUpdated,
                AuditKinds.DiscountCreated, AuditKinds.TemplateCreated }.Order(StringComparer.Ordinal),
            kinds);
    }

    [Fact]
    public async Task A_change_whose_recording_failed_answers_503_and_its_retry_records_it_once()
    {
        var (creator, http) = await CreatorAsync();
        var c = $"/creator/{creator.Address}";
        async Task<HttpResponseMessage> CreateAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"{c}/products") { Content = JsonContent.Create(new { slug = "flaky", name = "Flaky", price_algo = 1 }) };
            request.Headers.Add("X-Idempotency-Key", "flaky-1");
            return await http.SendAsync(request);
        }

        factory.Trail.FailNext(1);
        var failed = await CreateAsync();
        await HttpAssert.ErrorAsync(failed, HttpStatusCode.ServiceUnavailable, ErrorCodes.Unavailable);
        Assert.NotNull(failed.Headers.RetryAfter);
        // The product exists (the change stands), but nothing is recorded yet.
        Assert.Equal(1, (await HttpAssert.OkAsync(await http.GetAsync($"{c}/products"))).GetProperty("meta").GetProperty("total").GetInt32());
        Assert.Empty(await EntriesAsync($"wallet={creator.Address}&kind={AuditKinds.ProductCreated}"));

        var retried = await CreateAsync();
        var productId = (await HttpAssert.OkAsync(retried)).GetProperty("data").GetProperty("id").GetInt64();
        await RecordedAsync(retried, AuditKinds.ProductCreated, creator.Address, creator.Address, $"product:{productId}", DateTimeOffset.UtcNow.AddMinutes(-1));

        // A price change: its retry changes nothing, and records the change with what it was before.
        factory.Trail.FailNext(1);
        await HttpAssert.ErrorAsync(await http.PatchAsJsonAsync($"{c}/pricing", new { butki_min_tip_algo = 2 }), HttpStatusCode.ServiceUnavailable, ErrorCodes.Unavailable);
        var pricing = await RecordedAsync(await http.PatchAsJsonAsync($"{c}/pricing", new { butki_min_tip_algo = 2 }),
            AuditKinds.PricingChanged, creator.Address, creator.Address, $"creator:{creator.Address}", DateTimeOffset.UtcNow.AddMinutes(-1));
        Assert.Equal((500_000, 2_000_000), (Field(pricing, "butki_min_tip_micro", "before").GetInt64(), Field(pricing, "butki_min_tip_micro", "after").GetInt64()));

        // A template deletion: the retry gets the first answer and records the deletion.
        var template = await HttpAssert.OkAsync(await http.PostAsync($"{c}/sticker-template", TemplatesApiFactory.Form("Gone", TemplatesApiFactory.Png(), "golden", "audit_gone", "1")));
        factory.Trail.FailNext(1);
        await HttpAssert.ErrorAsync(await http.DeleteAsync($"{c}/template/{template.GetProperty("id").GetInt64()}"), HttpStatusCode.ServiceUnavailable, ErrorCodes.Unavailable);
        await RecordedAsync(await http.DeleteAsync($"{c}/template/{template.GetProperty("id").GetInt64()}"),
            AuditKinds.TemplateDeleted, creator.Address, creator.Address, $"template:{template.GetProperty("id").GetInt64()}", DateTimeOffset.UtcNow.AddMinutes(-1));

        Assert.Equal(5, (await EntriesAsync($"wallet={creator.Address}")).Count);
    }

    [Fact]
    public async Task A_payout_schedule_change_is_recorded_once_also_when_its_first_recording_failed()
    {
        var (creator, http) = await CreatorAsync();
        var schedule = $"/creator/{creator.Address}/payouts/schedule";
        var start = DateTimeOffset.UtcNow;

        var weekly = await RecordedAsync(await http.PutAsJsonAsync(schedule, new { mode = "weekly" }),
            AuditKinds.PayoutScheduleChanged, creator.Address, creator.Address, $"payouts:{creator.Address}", start);
        Assert.Equal("weekly", Field(weekly, "mode", "after").GetString());
        await HttpAssert.OkAsync(await http.PutAsJsonAsync(schedule, new { mode = "weekly" })); // the same again: no change

        factory.Trail.FailNext(1);
        await HttpAssert.ErrorAsync(await http.PutAsJsonAsync(schedule, new { mode = "threshold", threshold_algo = 5 }), HttpStatusCode.ServiceUnavailable, ErrorCodes.Unavailable);
        var threshold = await RecordedAsync(await http.PutAsJsonAsync(schedule, new { mode = "threshold", threshold_algo = 5 }),
            AuditKinds.PayoutScheduleChanged, creator.Address, creator.Address, $"payouts:{creator.Address}", start);
        Assert.Equal(5_000_000, Field(threshold, "threshold_micro", "after").GetInt64());

        Assert.Equal(2, (await EntriesAsync($"wallet={creator.Address}&kind={AuditKinds.PayoutScheduleChanged}")).Count);
    }

    [Fact]
    public async Task A_refused_write_records_nothing()
    {
        var (creator, http) = await CreatorAsync();
        var c = $"/creator/{creator.Address}";
        await HttpAssert.OkAsync(await http.PostAsJsonAsync($"{c}/products", new { slug = "taken", name = "Taken", price_algo = 1 }));

        await HttpAssert.ErrorAsync(await http.PatchAsJsonAsync($"{c}/pricing", new { butki_min_tip_algo = 0.01 }), HttpStatusCode.BadRequest, "invalid_pricing");
        await HttpAssert.ErrorAsync(await http.PostAsJsonAsync($"{c}/products", new { slug = "taken", name = "Again", price_algo = 1 }), HttpStatusCode.Conflict, "duplicate_slug");
        await HttpAssert.ErrorAsync(await http.PostAsJsonAsync($"{c}/discounts", new { discountType = "PERCENT", value = 150 }), HttpStatusCode.BadRequest, ErrorCodes.Validation);
        await HttpAssert.ErrorAsync(await http.DeleteAsync($"{c}/template/999999"), HttpStatusCode.NotFound, ErrorCodes.NotFound);
        var fan = await ClientAsync(TemplatesApiFactory.NewWallet());
        await HttpAssert.ErrorAsync(await fan.PatchAsJsonAsync($"{c}/pricing", new { butki_min_tip_algo = 2 }), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await HttpAssert.ErrorAsync(await http.PostAsJsonAsync("/listener/resume", new { from_round = 1 }), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);

        Assert.Equal([AuditKinds.CreatorRegistered, AuditKinds.ProductCreated],
            (await EntriesAsync($"wallet={creator.Address}")).Select(e => e.GetProperty("kind").GetString()!).Reverse());
    }

    [Fact]
    public async Task The_audit_route_pages_with_its_cursor_filters_by_time_and_refuses_bad_input()
    {
        var (creator, http) = await CreatorAsync();
        var c = $"/creator/{creator.Address}";
        for (var i = 0; i < 4; i++)
        {
            await HttpAssert.OkAsync(await http.PostAsJsonAsync($"{c}/products", new { slug = $"page-{i}", name = "Page", price_algo = 1 }));
        }

        var admin = await factory.CreateClientAsync(Admin);
        var all = await EntriesAsync($"wallet={creator.Address}");
        Assert.Equal(5, all.Count);
        Assert.Equal(all.Select(e => e.GetProperty("id").GetInt64()).Order().Reverse(), all.Select(e => e.GetProperty("id").GetInt64()));
        var first = await HttpAssert.OkAsync(await admin.GetAsync($"/admin/audit?wallet={creator.Address}&limit=5"));
        Assert.Equal(JsonValueKind.Null, first.GetProperty("next_cursor").ValueKind);

        var registeredAt = all[^1].GetProperty("at").GetDateTimeOffset();
        var from = Uri.EscapeDataString(registeredAt.AddTicks(10).ToString("O"));
        Assert.Equal(4, (await EntriesAsync($"wallet={creator.Address}&from={from}")).Count);
        Assert.Single(await EntriesAsync($"wallet={creator.Address}&to={from}"));

        await HttpAssert.ErrorAsync(await admin.GetAsync("/admin/audit?cursor=bm90LWEtY3Vyc29y"), HttpStatusCode.BadRequest, ErrorCodes.InvalidCursor);
        await HttpAssert.ErrorAsync(await admin.GetAsync("/admin/audit?cursor=%%%"), HttpStatusCode.BadRequest, ErrorCodes.InvalidCursor);
        await HttpAssert.ErrorAsync(await admin.GetAsync("/admin/audit?kind=product.exploded"), HttpStatusCode.BadRequest, ErrorCodes.Validation);
        await HttpAssert.ErrorAsync(await admin.GetAsync("/admin/audit?from=yesterday"), HttpStatusCode.BadRequest, ErrorCodes.Validation);
        await HttpAssert.ErrorAsync(await admin.GetAsync("/admin/audit?from=2025-02-01T00:00:00Z&to=2025-01-01T00:00:00Z"), HttpStatusCode.BadRequest, ErrorCodes.Validation);
        await HttpAssert.ErrorAsync(await admin.GetAsync("/admin/audit?wallet=not-a-wallet"), HttpStatusCode.BadRequest, "invalid_wallet");
        await HttpAssert.ErrorAsync(await admin.GetAsync("/admin/audit?limit=0"), HttpStatusCode.BadRequest, ErrorCodes.Validation);
        await HttpAssert.ErrorAsync(await http.GetAsync("/admin/audit"), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await HttpAssert.ErrorAsync(await factory.CreateClient().GetAsync("/admin/audit"), HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
    }

    /// <summary>
    /// Every write route that only an admin or a creator (about its own configuration) may call records what it changed,
    /// so a route added later cannot forget: it must declare the kinds it records with <c>.Audited(…)</c>, which the
    /// recorder also requires of every route that records.
    /// </summary>
    [Fact]
    public void Every_admin_and_creator_configuration_write_route_declares_what_it_records()
    {
        var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        static bool IsWrite(Endpoint e) => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Any(m => m is not ("GET" or "HEAD" or "OPTIONS"));
        static IReadOnlyList<string> Policies(Endpoint e) => [.. e.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy ?? "")];
        // Registration is open to any token (it is what makes a creator), and is a creator's configuration all the same.
        var mustRecord = endpoints
            .Where(e => IsWrite(e) && (Policies(e).Any(p => p is "admin" or "creator") || e.RoutePattern.RawText == "/creator/register"))
            .ToList();

        Assert.True(mustRecord.Count >= 14, $"only {mustRecord.Count} admin/creator write routes found");
        Assert.All(mustRecord, e => Assert.True(e.Metadata.GetMetadata<AuditedMetadata>() is { Kinds.Count: > 0 }, $"{e.DisplayName} is not audited"));
        Assert.All(endpoints.Where(e => e.Metadata.GetMetadata<AuditedMetadata>() is not null), e =>
        {
            Assert.True(IsWrite(e), $"{e.DisplayName} is a read");
            Assert.Subset(AuditKinds.All.ToHashSet(), e.Metadata.GetMetadata<AuditedMetadata>()!.Kinds.ToHashSet());
        });
    }
}
