using FanForge.Silo;
using FanForge.Silo.Schema;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

// A headless silo: joins the PostgreSQL cluster that the API and other silos share.
// `dotnet run --project silo -- migrate` applies deploy/sql to the configured database and exits.
// A slim web host: its only HTTP side is /metrics on Metrics:SiloPort.
var builder = WebApplication.CreateSlimBuilder(args);
builder.AddFanForgeLogging();

if (args is ["migrate", ..])
{
    var settings = ClusterSettings.Load(builder.Configuration, builder.Environment);
    if (settings.Provider != ClusterProvider.Postgres)
    {
        Console.Error.WriteLine("migrate needs Cluster__Provider=Postgres and ConnectionStrings__Postgres.");
        return 2;
    }

    using var loggerFactory = LoggerFactory.Create(l => l.AddSimpleConsole());
    await using var dataSource = NpgsqlDataSource.Create(settings.ConnectionString!);
    var report = await new SchemaMigrator(dataSource, loggerFactory.CreateLogger<SchemaMigrator>()).MigrateAsync();
    Console.WriteLine($"schema: applied {report.Applied.Count}, already present {report.AlreadyPresent.Count}");
    return 0;
}

var cluster = builder.AddFanForgeSilo();
if (cluster.Provider != ClusterProvider.Postgres)
{
    // Memory storage is per process: a second in-memory silo would silently split grain state.
    Console.Error.WriteLine(
        "A headless silo joins a shared PostgreSQL cluster: set Cluster__Provider=Postgres and ConnectionStrings__Postgres. " +
        "For development, run the API alone: dotnet run --project api");
    return 2;
}

var metrics = builder.AddFanForgeSiloHttp();
var host = builder.Build();
if (metrics.Enabled)
{
    host.MapFanForgeMetrics();
}

try
{
    await host.RunAsync();
}
catch (OperationCanceledException) when (host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested)
{
    // Stopped (SIGTERM) while still joining: a clean exit, not a crash.
}

return 0;

/// <summary>
/// Internal on purpose: the dashboard package brings ASP.NET Core, whose generator would otherwise make this entry
/// point public and clash with the API's <c>Program</c> in projects that reference both.
/// </summary>
internal sealed partial class Program;
