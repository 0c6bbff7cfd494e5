using System.Net;
using FanForge.Tests.Auth;
using FanForge.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace FanForge.Tests.Postgres;

/// <summary>
/// The production layout: a headless silo collecting the dashboard's statistics and the API as a pure cluster client
/// serving <c>/dashboard</c> from them, to admins only.
/// </summary>
[Collection(PostgresCollection.Name), Trait("Category", "Postgres")]
public sealed class DashboardClientModeTests(PostgresFixture fixture)
{
    private static readonly Dictionary<string, string> WithDashboard = new() { ["Dashboard:Enabled"] = "true" };

    [PostgresFact]
    public async Task A_client_mode_API_serves_the_silos_dashboard_to_admins_only()
    {
        var member = ClusterNode.Create(await fixture.CreateMigratedDatabaseAsync(), $"{fixture.RunId}-{Guid.NewGuid().ToString("N")[..6]}");
        var silo = await ClusterHosts.StartSiloAsync(member, WithDashboard);
        try
        {
            await using var api = new ClientModeApiFactory(member);
            var admin = await api.CreateClientAsync(AdminApiFactory.Admin);
            var fan = await api.CreateClientAsync(new TestWallet(212));

            // The counters list the silo by its address once the dashboard grain has refreshed them (about a second):
            // the data crossed from the silo to the client API.
            await ClusterHosts.EventuallyAsync(
                async () => await (await admin.GetAsync("/dashboard/DashboardCounters")).EnsureSuccessStatusCode().Content.ReadAsStringAsync(),
                body => body.Contains($"127.0.0.1:{member.SiloPort}", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the silo in the dashboard's counters");
            var grainTypes = await admin.GetAsync("/dashboard/GrainTypes");

            Assert.Equal(HttpStatusCode.OK, grainTypes.StatusCode);
            Assert.Contains("FanForge", await grainTypes.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Forbidden, (await fan.GetAsync("/dashboard/GrainTypes")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await api.CreateClient().GetAsync("/dashboard/")).StatusCode);
        }
        finally
        {
            await silo.StopAndDisposeAsync();
        }
    }

    private sealed class ClientModeApiFactory(ClusterNode member) : FanForgeApiFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Api:Hosting", "Client");
            foreach (var (key, value) in member.Settings)
            {
                builder.UseSetting(key, value);
            }

            builder.UseSetting("Dashboard:Enabled", "true");
            builder.UseSetting("Auth:AdminWallets:0", AdminApiFactory.Admin.Address);
        }
    }
}
