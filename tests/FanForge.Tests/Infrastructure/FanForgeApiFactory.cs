using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace FanForge.Tests.Infrastructure;

/// <summary>
/// The real API host in development mode (co-hosted silo, in-memory providers) on free silo ports and its own
/// ClusterId, so several factories and a running dev server never collide.
/// </summary>
public class FanForgeApiFactory : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Cluster:ClusterId", "api-test-" + Guid.NewGuid().ToString("N")[..8]);
        builder.UseSetting("Cluster:SiloPort", PostgresServer.FreeTcpPort().ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Cluster:GatewayPort", PostgresServer.FreeTcpPort().ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
