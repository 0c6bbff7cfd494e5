using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FanForge.Grains.Algorand;
using FanForge.Grains.Algorand.Clients;
using FanForge.Grains.Algorand.Simulation;
using FanForge.Grains.Chain;
using FanForge.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace FanForge.Tests.Creators;

/// <summary>
/// The creator's dashboard and contract stats on the development host: totals from the TipProxy's global state on
/// the simulated ledger, fans and recent payments from the creator's tip ledger, badges once their mint lands.
/// </summary>
public sealed class CreatorDashboardTests(FanForgeApiFactory factory) : IClassFixture<FanForgeApiFactory>
{
    private static int seed = 230;
    private static ulong firstValid = 60_000_000;

    private static TestWallet NewWallet() => new((byte)Interlocked.Increment(ref seed));

    /// <summary>Each group gets its own validity window so that equal tips are still distinct transactions.</summary>
    private async Task TipAsync(TestWallet fan, (ulong AppId, AlgorandAddress AppAddress) app, ulong microAlgo, string memo)
    {
        var (status, body) = await factory.SubmitGroupAsync(Tipping.TipGroup(fan, app, microAlgo, memo, Interlocked.Increment(ref firstValid)));
        Assert.True(status == HttpStatusCode.OK, body.ToString());
    }

    [Fact]
    public async Task The_dashboard_shows_the_chain_totals_the_fans_the_recent_payments_newest_first_and_the_minted_badge()
    {
        var (creator, loyal, once) = (NewWallet(), NewWallet(), NewWallet());
        var app = await factory.RegisterCreatorAsync(creator, "dash");
        for (var i = 1; i <= 5; i++)
        {
            await TipAsync(loyal, app, 1_000_000, $"tip {i}");
        }

        await TipAsync(once, app, 2_500_000, "hello");
        var http = await factory.CreateClientAsync(creator);

        var dashboard = await ClusterHosts.EventuallyAsync(
            () => http.GetFromJsonAsync<JsonElement>($"/creator/{creator.Address}/dashboard"),
            d => d.GetProperty("recentTransactions").GetArrayLength() == 6 && d.GetProperty("totalStickersMinted").GetInt32() == 1,
            TimeSpan.FromSeconds(15), "six payments and the badge");

        Assert.Equal((creator.Address, "dash", 2), (dashboard.GetProperty("walletAddress").GetString(), dashboard.GetProperty("username").GetString(), dashboard.GetProperty("totalFans").GetInt32()));
        var contract = dashboard.GetProperty("contract");
        Assert.Equal((app.AppId, app.AppAddress.ToString(), true, (int)TipProxy.Version), (contract.GetProperty("appId").GetUInt64(), contract.GetProperty("appAddress").GetString(), contract.GetProperty("active").GetBoolean(), contract.GetProperty("version").GetInt32()));
        Assert.Equal(creator.Address, contract.GetProperty("creatorWallet").GetString());
        AssertStats(dashboard.GetProperty("stats"), app.AppId);

        var rows = dashboard.GetProperty("recentTransactions").EnumerateArray().ToList();
        Assert.Equal(["hello", "tip 5", "tip 4", "tip 3", "tip 2", "tip 1"], rows.Select(r => r.GetProperty("memo").GetString()));
        Assert.Equal([once.Address, .. Enumerable.Repeat(loyal.Address, 5)], rows.Select(r => r.GetProperty("fanWallet").GetString()));
        Assert.Equal(6, rows.Select(r => r.GetProperty("txId").GetString()).Distinct().Count());
        Assert.All(rows, r =>
        {
            Assert.True(r.GetProperty("processed").GetBoolean());
            Assert.Equal(r.GetProperty("fanWallet").GetString(), r.GetProperty("fan_wallet").GetString());
            Assert.Equal(r.GetProperty("amountAlgo").GetDecimal(), r.GetProperty("amount_algo").GetDecimal());
            Assert.Equal(r.GetProperty("detectedAt").GetDateTimeOffset(), r.GetProperty("detected_at").GetDateTimeOffset());
        });
        Assert.Equal((2.5m, 1.0m), (rows[0].GetProperty("amountAlgo").GetDecimal(), rows[1].GetProperty("amount_algo").GetDecimal()));

        AssertStats(await http.GetFromJsonAsync<JsonElement>($"/creator/{creator.Address}/contract/stats"), app.AppId);
    }

    /// <summary>Six payments, 7.5 ALGO, of a TipProxy created with a 0.5 ALGO minimum, in both casings.</summary>
    private static void AssertStats(JsonElement stats, ulong appId)
    {
        Assert.Equal((appId, appId), (stats.GetProperty("app_id").GetUInt64(), stats.GetProperty("appId").GetUInt64()));
        Assert.Equal((6, 6), (stats.GetProperty("total_tips").GetInt32(), stats.GetProperty("totalTips").GetInt32()));
        Assert.Equal(
            (7.5m, 7.5m, 7.5m),
            (stats.GetProperty("total_amount_algo").GetDecimal(), stats.GetProperty("totalAmountAlgo").GetDecimal(), stats.GetProperty("total_algo_received").GetDecimal()));
        Assert.Equal((0.5m, 0.5m), (stats.GetProperty("min_tip_algo").GetDecimal(), stats.GetProperty("minTipAlgo").GetDecimal()));
        Assert.Equal((TipProxy.Version, TipProxy.Version), (stats.GetProperty("contract_version").GetUInt64(), stats.GetProperty("contractVersion").GetUInt64()));
        Assert.False(stats.GetProperty("paused").GetBoolean());
    }

    [Fact]
    public async Task A_new_creator_has_zero_stats_and_no_payments()
    {
        var creator = NewWallet();
        var app = await factory.RegisterCreatorAsync(creator);

        var dashboard = await (await factory.CreateClientAsync(creator)).GetFromJsonAsync<JsonElement>($"/creator/{creator.Address}/dashboard");

        Assert.Equal((0, 0, 0), (dashboard.GetProperty("totalFans").GetInt32(), dashboard.GetProperty("totalStickersMinted").GetInt32(), dashboard.GetProperty("recentTransactions").GetArrayLength()));
        Assert.Equal(JsonValueKind.Null, dashboard.GetProperty("username").ValueKind);
        var stats = dashboard.GetProperty("stats");
        Assert.Equal((app.AppId, 0, 0m), (stats.GetProperty("app_id").GetUInt64(), stats.GetProperty("total_tips").GetInt32(), stats.GetProperty("total_amount_algo").GetDecimal()));
    }

    [Theory]
    [InlineData("dashboard")]
    [InlineData("contract/stats")]
    public async Task Only_the_creator_itself_gets_in(string route)
    {
        var (creator, fan) = (NewWallet(), NewWallet());
        await factory.RegisterCreatorAsync(creator);
        var fanHttp = await factory.CreateClientAsync(fan);
        var creatorHttp = await factory.CreateClientAsync(creator);

        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient().GetAsync($"/creator/{creator.Address}/{route}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fanHttp.GetAsync($"/creator/{fan.Address}/{route}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fanHttp.GetAsync($"/creator/{creator.Address}/{route}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await creatorHttp.GetAsync($"/creator/{creator.Address}/{route}")).StatusCode);
    }

    /// <summary>
    /// Authorization runs before the handler, as the prototype's <c>require_wallet_auth</c> did: a malformed path
    /// wallet never equals a token's wallet, so it is refused there (the handler's own 400 is a second line).
    /// </summary>
    [Theory]
    [InlineData("dashboard")]
    [InlineData("contract/stats")]
    public async Task A_malformed_wallet_is_refused_before_anything_is_read(string route)
    {
        var creator = NewWallet();
        await factory.RegisterCreatorAsync(creator);
        var http = await factory.CreateClientAsync(creator);

        var response = await http.GetAsync($"/creator/NOTAWALLET/{route}");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("forbidden", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient().GetAsync($"/creator/NOTAWALLET/{route}")).StatusCode);
    }
}

/// <summary>The development host whose node answers everything except application reads.</summary>
public sealed class AppReadsFailApiFactory : FanForgeApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
            services.AddSingleton<IAlgodClient>(sp => new AppReadsFailAlgodClient(new SimulatedAlgodClient(sp.GetRequiredService<IGrainFactory>()))));
    }

    private sealed class AppReadsFailAlgodClient(IAlgodClient inner) : ForwardingAlgodClient(inner)
    {
        public override Task<ApplicationInfo?> GetApplicationAsync(ulong applicationId, CancellationToken cancellationToken = default) =>
            throw Unavailable();
    }
}

/// <summary>When algod cannot be read the dashboard still answers, without stats; the stats route says why.</summary>
public sealed class CreatorDashboardNodeFailureTests(AppReadsFailApiFactory factory) : IClassFixture<AppReadsFailApiFactory>
{
    [Fact]
    public async Task The_dashboard_serves_null_stats_and_contract_stats_is_a_503()
    {
        var creator = new TestWallet(240);
        var app = await factory.RegisterCreatorAsync(creator);
        var http = await factory.CreateClientAsync(creator);

        var dashboard = await http.GetFromJsonAsync<JsonElement>($"/creator/{creator.Address}/dashboard");
        var stats = await http.GetAsync($"/creator/{creator.Address}/contract/stats");

        Assert.Equal(JsonValueKind.Null, dashboard.GetProperty("stats").ValueKind);
        Assert.Equal(app.AppId, dashboard.GetProperty("contract").GetProperty("appId").GetUInt64());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, stats.StatusCode);
        Assert.Equal("algorand_unavailable", (await stats.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString());
    }
}
