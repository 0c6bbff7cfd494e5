using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using FanForge.Grains.Algorand;
using FanForge.Grains.Algorand.Clients;
using FanForge.Grains.Algorand.Simulation;
using FanForge.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace FanForge.Tests.Health;

/// <summary>The development host while its node fails the first two asset creations; a failed mint is retried after 1 s.</summary>
public sealed class MintOutageApiFactory : FanForgeApiFactory
{
    public const int FailingCreations = 2;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Nfts:MintRetry:FirstDelay", "00:00:01");
        builder.ConfigureTestServices(services =>
            services.AddSingleton<IAlgodClient>(sp => new MintOutageAlgodClient(sp.GetRequiredService<IGrainFactory>(), FailingCreations)));
    }

    public MintOutageAlgodClient Node => (MintOutageAlgodClient)Services.GetRequiredService<IAlgodClient>();
}

/// <summary>
/// Tests that read <c>/metrics</c> run alone, after the parallel ones: the OpenTelemetry SDK stops exporting a metric
/// once any meter of the same name is disposed, and ASP.NET Core's hosting meter is one per host, so another test's
/// host stopping meanwhile would silently end the HTTP metrics here. One host per process, as in production, never does.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "Metrics, run alone";
}

/// <summary>
/// Failed mints as operators see them: retried until they land, counted cluster-wide on <c>/listener/status</c>, and
/// exported with the HTTP and runtime basics on <c>/metrics</c> in the Prometheus text format.
/// </summary>
[Collection(MetricsCollection.Name)]
public sealed class MetricsApiTests(MintOutageApiFactory factory) : IClassFixture<MintOutageApiFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    /// <summary>The sum of a metric's samples over all label sets (0 when absent), read from the exposition text.</summary>
    private static double Sample(string exposition, string metric) =>
        Regex.Matches(exposition, $@"^{Regex.Escape(metric)}(?:\{{[^}}]*\}})? (\S+)", RegexOptions.Multiline)
            .Sum(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));

    private Task<string> MetricsWhenAsync(Func<string, bool> done, string what) => ClusterHosts.EventuallyAsync(
        () => factory.CreateClient().GetStringAsync("/metrics"), done, Wait, what);

    [Fact]
    public async Task A_purchase_whose_mint_fails_twice_is_retried_lands_once_and_is_counted_on_listener_status_and_metrics()
    {
        var (creator, fan) = (new TestWallet(181), new TestWallet(182));
        var app = await factory.RegisterCreatorAsync(creator);
        var (status, body) = await factory.SubmitGroupAsync(Tipping.TipGroup(fan, app, 2_000_000, "PURCHASE:SHAWTY", 53_000_000));
        Assert.True(status == HttpStatusCode.OK, body.ToString());

        // Nobody asks again within these seconds (the owner's reminder ticks once a minute): the mint's own retry lands it.
        var fanHttp = await factory.CreateClientAsync(fan);
        var tokens = await ClusterHosts.EventuallyAsync(
            async () => await HttpAssert.OkAsync(await fanHttp.GetAsync($"/shawty/{fan.Address}/tokens")),
            t => t.GetProperty("total").GetInt32() > 0, Wait, "the Shawty token");
        var assetId = Assert.Single(tokens.GetProperty("tokens").EnumerateArray()).GetProperty("asset_id").GetUInt64();
        var ledger = factory.Services.GetRequiredService<IGrainFactory>().GetGrain<ISimulatedLedger>(ISimulatedLedger.Key);
        Assert.NotNull(await ledger.GetAssetAsync(assetId));
        Assert.Null(await ledger.GetAssetAsync(assetId + 1)); // the lost answer's resend did not mint a second ASA
        Assert.Equal(MintOutageApiFactory.FailingCreations + 1, factory.Node.Creations);

        var listener = await ClusterHosts.EventuallyAsync(
            () => factory.CreateClient().GetFromJsonAsync<JsonElement>("/listener/status"),
            s => s.GetProperty("metrics").GetProperty("retry_success_count").GetInt64() >= 1, Wait, "the retry success on /listener/status");
        var metrics = listener.GetProperty("metrics");
        Assert.Equal(MintOutageApiFactory.FailingCreations, metrics.GetProperty("failed_mints_count").GetInt64());
        Assert.Equal((1L, 0L), (metrics.GetProperty("retry_success_count").GetInt64(), metrics.GetProperty("retry_fail_count").GetInt64()));
        Assert.Equal((true, 3), (listener.GetProperty("retryEnabled").GetBoolean(), listener.GetProperty("maxRetryAttempts").GetInt32()));

        // Meters are per process and other tests' clusters share this one, hence at least.
        var exposition = await MetricsWhenAsync(text => Sample(text, "fanforge_nfts_mint_retries_succeeded_total") >= 1, "the retry success on /metrics");
        Assert.True(Sample(exposition, "fanforge_nfts_mint_failures_total") >= MintOutageApiFactory.FailingCreations, exposition);
        Assert.True(Sample(exposition, "fanforge_nfts_mints_completed_total") >= 1, exposition);
        Assert.Contains("kind=\"shawty\"", exposition);
    }

    [Fact]
    public async Task Metrics_serve_the_prometheus_text_format_with_http_and_runtime_meters_to_anonymous_scrapers()
    {
        (await factory.CreateClient().GetAsync("/health/live")).EnsureSuccessStatusCode();

        var exposition = await MetricsWhenAsync(text => text.Contains("http_server_request_duration_seconds_bucket"), "the HTTP request histogram");
        var response = await factory.CreateClient().GetAsync("/metrics");

        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("# TYPE http_server_request_duration_seconds histogram", exposition);
        Assert.Matches(@"(?m)^http_server_request_duration_seconds_bucket\{.*le=""\+Inf"".*\} \d+", exposition);
        Assert.Matches(@"(?m)^http_server_request_duration_seconds_count\{", exposition);
        Assert.Matches(@"(?m)^dotnet_gc_collections_total\{", exposition);
    }

    [Fact]
    public async Task Metrics_answer_only_get()
    {
        await HttpAssert.ErrorAsync(await factory.CreateClient().PostAsync("/metrics", null), HttpStatusCode.MethodNotAllowed, "method_not_allowed");
    }

    [Fact]
    public async Task Metrics_off_means_no_metrics_route()
    {
        await using var disabled = factory.WithWebHostBuilder(builder => builder.UseSetting("Metrics:Enabled", "false"));

        await HttpAssert.ErrorAsync(await disabled.CreateClient().GetAsync("/metrics"), HttpStatusCode.NotFound, "not_found");
    }
}

/// <summary>
/// The Grafana dashboard (<c>deploy/observability/fanforge-dashboard.json</c>) queries only series that exist: after a
/// tip, a mint that fails before it lands and a paid order, every series it selects is on <c>/metrics</c>. Its own
/// host, so its purchases do not change what the mint test above counts.
/// </summary>
[Collection(MetricsCollection.Name)]
public sealed class DashboardMetricsTests(MintOutageApiFactory factory) : IClassFixture<MintOutageApiFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private Task<string> MetricsWhenAsync(Func<string, bool> done, string what) => ClusterHosts.EventuallyAsync(
        () => factory.CreateClient().GetStringAsync("/metrics"), done, Wait, what);

    /// <summary>
    /// The series a dashboard's queries select, each written <c>name{…}</c>: the metric name and the exact-match label
    /// values it asks for (<c>kind="tip"</c>; <c>=~</c> and <c>!=</c> matchers select nothing in particular).
    /// </summary>
    private static IReadOnlyList<(string Name, string[] Labels)> DashboardSelectors(string dashboardJson)
    {
        using var dashboard = JsonDocument.Parse(dashboardJson);
        var expressions = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray())
            .Select(t => t.GetProperty("expr").GetString()!)
            .ToList();
        Assert.NotEmpty(expressions);
        return [.. expressions
            .SelectMany(e => Regex.Matches(e, @"([a-zA-Z_:][a-zA-Z0-9_:]*)\{([^}]*)\}"))
            .Select(m => (m.Groups[1].Value, Regex.Matches(m.Groups[2].Value, @"(\w+)=""([^""]*)""").Select(l => l.Value).Order().ToArray()))
            .DistinctBy(s => $"{s.Item1}{{{string.Join(',', s.Item2)}}}")];
    }

    /// <summary>Whether the exposition has a sample of <paramref name="name"/> carrying every one of <paramref name="labels"/>.</summary>
    private static bool Served(string exposition, string name, string[] labels) =>
        Regex.Matches(exposition, $@"(?m)^{Regex.Escape(name)}(\{{[^}}]*\}})? ")
            .Any(m => labels.All(l => m.Groups[1].Value.Contains(l, StringComparison.Ordinal)));

    [Fact]
    public async Task Every_series_the_grafana_dashboard_queries_is_served_on_metrics_after_a_tip_a_failing_mint_and_a_paid_order()
    {
        var selectors = DashboardSelectors(RepoFiles.ReadAllText("deploy/observability/fanforge-dashboard.json"));
        Assert.Contains(selectors, s => s.Name == "fanforge_merch_orders_total");
        Assert.Contains(selectors, s => s.Name == "fanforge_payments_journaled_total" && s.Labels.Contains("kind=\"tip\""));
        // Orders reach "paid" too: not a selector of the dashboard (it groups by state), but what this activity must show.
        selectors = [.. selectors, ("fanforge_merch_orders_total", ["state=\"paid\""])];

        // Activity for every panel: a tip, a Shawty whose mint fails before it lands, an order placed and paid.
        var (creator, fan) = (new TestWallet(183), new TestWallet(184));
        var app = await factory.RegisterCreatorAsync(creator);
        Assert.Equal(HttpStatusCode.OK, (await factory.SubmitGroupAsync(Tipping.TipGroup(fan, app, 1_000_000, "gm", 54_000_010))).Status);
        Assert.Equal(HttpStatusCode.OK, (await factory.SubmitGroupAsync(Tipping.TipGroup(fan, app, 2_000_000, "PURCHASE:SHAWTY", 54_000_011))).Status);
        var creatorHttp = await factory.CreateClientAsync(creator);
        var product = (await HttpAssert.OkAsync(await creatorHttp.PostAsJsonAsync($"/creator/{creator.Address}/products",
            new { slug = "cap", name = "Cap", price_algo = 1.0, stock_quantity = 5 }))).GetProperty("data").GetProperty("id").GetInt64();
        var fanHttp = await factory.CreateClientAsync(fan);
        var placed = (await HttpAssert.OkAsync(await fanHttp.PostAsJsonAsync($"/creator/{creator.Address}/store/order",
            new { fanWallet = fan.Address, items = new[] { new { productId = product, quantity = 1 } } }))).GetProperty("data");
        var payment = placed.GetProperty("payment").GetProperty("unsigned_txns").EnumerateArray()
            .Select(t => Convert.ToBase64String(SignedTransaction.Sign(Transaction.Decode(Convert.FromBase64String(t.GetString()!)), fan.Signer).Encode()))
            .ToArray();
        Assert.Equal(HttpStatusCode.OK, (await factory.SubmitGroupAsync(payment)).Status);

        string exposition;
        try
        {
            exposition = await MetricsWhenAsync(text => selectors.All(s => Served(text, s.Name, s.Labels)), "every series the dashboard queries");
        }
        catch (TimeoutException)
        {
            exposition = await factory.CreateClient().GetStringAsync("/metrics"); // the assertion below names what is missing
        }

        Assert.All(selectors, s => Assert.True(Served(exposition, s.Name, s.Labels),
            $"{s.Name}{{{string.Join(',', s.Labels)}}} is queried by the dashboard but not served on /metrics"));
    }
}
