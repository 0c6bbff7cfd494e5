using System.Globalization;
using FanForge.Silo;
using FanForge.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FanForge.Benchmarks;

/// <summary>A real silo on PostgreSQL (grain storage per Cluster:GrainStorage, ADO.NET reminders and clustering), built as the silo process builds one.</summary>
internal static class BenchmarkSilo
{
    public const string GrainStorageVariable = "FANFORGE_BENCH_GRAIN_STORAGE";

    public static async Task<IHost> StartAsync(string connectionString, string environment, IReadOnlyDictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = environment, DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Cluster:Provider"] = "Postgres",
            ["Cluster:ClusterId"] = "bench-" + Guid.NewGuid().ToString("N")[..8],
            ["Cluster:AdvertisedAddress"] = "127.0.0.1",
            ["Cluster:SiloPort"] = PostgresServer.FreeTcpPort().ToString(CultureInfo.InvariantCulture),
            ["Cluster:GatewayPort"] = PostgresServer.FreeTcpPort().ToString(CultureInfo.InvariantCulture),
            ["ConnectionStrings:Postgres"] = connectionString,
        });
        builder.Configuration.AddInMemoryCollection(settings);
        // Lets one benchmark binary compare grain storage providers: AdoNet or GroupCommit (unset = the default).
        if (Environment.GetEnvironmentVariable(GrainStorageVariable) is { Length: > 0 } storage)
        {
            builder.Configuration.AddInMemoryCollection([new("Cluster:GrainStorage", storage)]);
        }

        // Warnings to stderr, so the JSON on stdout stays clean.
        builder.Logging.SetMinimumLevel(LogLevel.Warning).AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.AddFanForgeSilo();
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }
}
