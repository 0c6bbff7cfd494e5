using System.Globalization;
using FanForge.Silo;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Configuration;

namespace FanForge.Tests.Infrastructure;

/// <summary>Ports and identity of one PostgreSQL-backed cluster member started by a test.</summary>
public sealed record ClusterNode(string ConnectionString, string ClusterId, string ServiceId, int SiloPort, int GatewayPort)
{
    /// <summary>A headless silo process's <c>/metrics</c> port (in-process silo hosts open none).</summary>
    public int MetricsPort { get; init; } = PostgresServer.FreeTcpPort();

    public static ClusterNode Create(string connectionString, string clusterId, string serviceId = "fanforge-test") =>
        new(connectionString, clusterId, serviceId, PostgresServer.FreeTcpPort(), PostgresServer.FreeTcpPort());

    /// <summary>
    /// Environment variable that picks <c>Cluster:GrainStorage</c> for every test silo (in process and real
    /// processes), so the whole PostgreSQL collection can be run once per storage provider; unset = the default.
    /// </summary>
    public const string GrainStorageVariable = "FANFORGE_TEST_GRAIN_STORAGE";

    /// <summary>The configuration an operator would set, as key/value pairs (also used as environment variables).</summary>
    public IReadOnlyDictionary<string, string> Settings => Environment.GetEnvironmentVariable(GrainStorageVariable) is { Length: > 0 } storage
        ? new Dictionary<string, string>(BaseSettings) { ["Cluster:GrainStorage"] = storage }
        : BaseSettings;

    private Dictionary<string, string> BaseSettings => new()
    {
        ["Cluster:Provider"] = "Postgres",
        ["Cluster:ClusterId"] = ClusterId,
        ["Cluster:ServiceId"] = ServiceId,
        ["Cluster:SiloPort"] = SiloPort.ToString(CultureInfo.InvariantCulture),
        ["Cluster:GatewayPort"] = GatewayPort.ToString(CultureInfo.InvariantCulture),
        ["Cluster:AdvertisedAddress"] = "127.0.0.1",
        ["Cluster:MinimumReminderPeriod"] = "00:00:01",
        ["Metrics:SiloPort"] = MetricsPort.ToString(CultureInfo.InvariantCulture),
        ["ConnectionStrings:Postgres"] = ConnectionString,
        // Production refuses the simulated ledger; nothing listens here, and these tests never reach the chain.
        ["Algorand:Mode"] = "Node",
        ["Algorand:AlgodUrl"] = "http://127.0.0.1:9/",
        ["Algorand:IndexerUrl"] = "http://127.0.0.1:9/",
        ["Algorand:PlatformSeed"] = TestPlatformSeed,
        // Off unless a test is about the dashboard (see DashboardSettings.Enabled for why).
        ["Dashboard:Enabled"] = "false",
    };

    /// <summary>A throwaway platform key for production-mode test hosts.</summary>
    public static readonly string TestPlatformSeed = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData("fanforge-test-platform"u8));
}

/// <summary>Silo and client hosts built exactly as the real processes build them, in the test process.</summary>
public static class ClusterHosts
{
    public static async Task<IHost> StartSiloAsync(ClusterNode member, IReadOnlyDictionary<string, string>? extraSettings = null)
    {
        // Extra settings win over the member's (a test may pin the storage provider whatever the environment says).
        var settings = new Dictionary<string, string>(member.Settings);
        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        var builder = NewBuilder(settings);
        builder.AddFanForgeSilo();
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    /// <summary>
    /// A cluster client, as the API in client mode builds one, that follows membership every second: with the default
    /// refresh (a minute) a client keeps the gateway list it started with, and a gateway it marked dead stays so for a
    /// minute, far longer than a failover test waits. Call <see cref="WaitForActiveSilosAsync"/> first, so every gateway
    /// the client finds is one that takes connections.
    /// </summary>
    public static async Task<IHost> StartClientAsync(ClusterNode member, Action<IServiceCollection>? configure = null)
    {
        var builder = NewBuilder(member.Settings);
        builder.AddFanForgeClusterClient();
        builder.Services.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(1));
        configure?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    /// <summary>
    /// Waits until <paramref name="count"/> silos of the cluster are Active in the membership table and each of their
    /// gateways accepts a TCP connection. A silo is listed Active a moment before its gateway listens; a client that
    /// tried it in that moment would mark the gateway dead and, when the other silo is killed, have none left.
    /// </summary>
    public static async Task WaitForActiveSilosAsync(string connectionString, string clusterId, int count, Func<string> logs)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await EventuallyAsync(
            async () =>
            {
                await using var command = dataSource.CreateCommand(
                    "SELECT ProxyPort FROM OrleansMembershipTable WHERE DeploymentId = @cluster AND Status = 3");
                command.Parameters.AddWithValue("cluster", clusterId);
                var ports = new List<int>();
                await using (var reader = await command.ExecuteReaderAsync())
                {
                    while (await reader.ReadAsync())
                    {
                        ports.Add(reader.GetInt32(0));
                    }
                }

                foreach (var port in ports)
                {
                    using var probe = new System.Net.Sockets.TcpClient();
                    await probe.ConnectAsync(System.Net.IPAddress.Loopback, port);
                }

                return ports.Count;
            },
            active => active == count, TimeSpan.FromSeconds(90), $"{count} silos to be active with their gateways listening.\n{logs()}");
    }

    public static IGrainFactory Grains(this IHost host) => host.Services.GetRequiredService<IGrainFactory>();

    public static async Task StopAndDisposeAsync(this IHost host)
    {
        await host.StopAsync();
        host.Dispose();
    }

    private static HostApplicationBuilder NewBuilder(IReadOnlyDictionary<string, string> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = Environments.Production,
            DisableDefaults = true,
        });
        builder.Configuration.AddInMemoryCollection(settings.Select(kv => new KeyValuePair<string, string?>(kv.Key, kv.Value)));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        return builder;
    }

    /// <summary>Polls until <paramref name="probe"/> holds; fails with <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var value = await probe();
                if (done(value))
                {
                    return value;
                }
            }
            catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
            {
                last = ex;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0}s waiting for {what}.", last);
    }
}
