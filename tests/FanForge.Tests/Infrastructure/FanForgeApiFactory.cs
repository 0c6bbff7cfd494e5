using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;

namespace FanForge.Tests.Infrastructure;

/// <summary>
/// The real API host in development mode (co-hosted silo, in-memory providers) on free silo ports and its own
/// ClusterId, so several factories and a running dev server never collide. <see cref="CreateClientAsync"/> logs a
/// wallet in through the real challenge/verify flow, so tests exercise authentication rather than bypass it.
/// </summary>
public class FanForgeApiFactory : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Cluster:ClusterId", "api-test-" + Guid.NewGuid().ToString("N")[..8]);
        builder.UseSetting("Cluster:SiloPort", PostgresServer.FreeTcpPort().ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Cluster:GatewayPort", PostgresServer.FreeTcpPort().ToString(System.Globalization.CultureInfo.InvariantCulture));
        // One test process is one client IP: keep the per-IP budgets out of the way of functional tests.
        builder.UseSetting("RateLimits:ChallengePerMinutePerIp", "100000");
        builder.UseSetting("RateLimits:VerifyPerMinutePerIp", "100000");
        builder.UseSetting("RateLimits:RegisterPerHourPerWallet", "100000");
        // Off unless a test is about the dashboard (see DashboardSettings.Enabled for why).
        builder.UseSetting("Dashboard:Enabled", "false");
        // A starting silo whose membership reads a test clock set ahead (the Transak tests move theirs an hour before
        // the host starts) looks as if it had been joining for longer than Orleans allows: it declares itself dead,
        // and Orleans' default fatal-error handler (this is not a TestingHost silo) ends the whole test process. A
        // one-silo test cluster has nobody else to evict, so that check is off here.
        builder.ConfigureServices(services => services.Configure<ClusterMembershipOptions>(o => o.EvictWhenMaxJoinAttemptTimeExceeded = false));
    }

    /// <summary>Logs <paramref name="wallet"/> in and returns the token response.</summary>
    public async Task<JsonElement> LoginAsync(TestWallet wallet)
    {
        var http = CreateClient();
        var challenge = await (await http.PostAsJsonAsync("/auth/challenge", new { walletAddress = wallet.Address }))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
        var nonce = challenge.GetProperty("nonce").GetString()!;
        var verify = await http.PostAsJsonAsync("/auth/verify", new { walletAddress = wallet.Address, nonce, signature = wallet.SignBytes(nonce) });
        return await verify.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>A client whose every request carries <paramref name="wallet"/>'s access token.</summary>
    public async Task<HttpClient> CreateClientAsync(TestWallet wallet)
    {
        var token = (await LoginAsync(wallet)).GetProperty("accessToken").GetString()!;
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
