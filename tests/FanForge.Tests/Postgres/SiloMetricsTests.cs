using System.Net;
using FanForge.Tests.Infrastructure;

namespace FanForge.Tests.Postgres;

/// <summary>
/// Every silo process serves its own meters: the headless silo (the binary operators run) answers
/// <c>GET /metrics</c> on <c>Metrics:SiloPort</c> with the grains' meters, Orleans' and the runtime's.
/// </summary>
[Collection(PostgresCollection.Name), Trait("Category", "Postgres")]
public sealed class SiloMetricsTests(PostgresFixture fixture)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [PostgresFact]
    public async Task A_headless_silo_serves_grain_orleans_and_runtime_meters_on_its_metrics_port()
    {
        var connectionString = await fixture.CreateMigratedDatabaseAsync();
        var clusterId = $"{fixture.RunId}-metrics";
        var node = ClusterNode.Create(connectionString, clusterId);
        await using var silo = SiloProcess.Start(node, SiloProcess.SimulatedChain, SiloProcess.SimulatedChainEnvironment);
        await ClusterHosts.WaitForActiveSilosAsync(connectionString, clusterId, 1, () => silo.LogTail());
        var url = $"http://127.0.0.1:{node.MetricsPort}/metrics";

        // The chain follower starts with the silo and asks the (simulated) node at once: a grain meter of our own.
        var exposition = await ClusterHosts.EventuallyAsync(
            () => Http.GetStringAsync(url), text => text.Contains("fanforge_chain_requests_total", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30), $"the follower's requests on {url}\n{silo.LogTail()}");

        Assert.Matches(@"(?m)^# TYPE fanforge_chain_requests_total counter$", exposition);
        Assert.Matches(@"(?m)^orleans_\w+", exposition);
        Assert.Matches(@"(?m)^dotnet_gc_collections_total\{", exposition);
        // Only /metrics: the silo's port is no second API.
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"http://127.0.0.1:{node.MetricsPort}/health/ready")).StatusCode);
        Assert.False(silo.HasExited, silo.LogTail());
    }
}

/// <summary><c>Metrics:SiloPort</c> is validated when the silo starts: a port out of range stops it, naming the setting.</summary>
public sealed class SiloMetricsPortValidationTests
{
    [Fact]
    public async Task A_silo_refuses_to_start_on_a_metrics_port_out_of_range()
    {
        // Nothing is reached: validation fails before the silo joins any cluster.
        var node = ClusterNode.Create("Host=127.0.0.1;Port=9;Database=none;Username=none;Password=none", "metrics-port-validation");
        await using var silo = SiloProcess.Start(node, new Dictionary<string, string> { ["Metrics:SiloPort"] = "70000" });

        await ClusterHosts.EventuallyAsync(() => Task.FromResult(silo.HasExited), exited => exited, TimeSpan.FromSeconds(30), $"the silo to exit\n{silo.LogTail()}");

        Assert.NotEqual(0, silo.ExitCode);
        Assert.Contains("SiloPort", silo.LogTail(200), StringComparison.Ordinal);
    }
}
