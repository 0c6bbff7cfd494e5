using FanForge.Silo.Schema;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace FanForge.Tests.Infrastructure;

/// <summary>One throwaway PostgreSQL server shared by the PostgreSQL collection, started lazily.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresServer? server;

    /// <summary>Unique per test run, so a silo killed in an earlier run can never stall this one's membership.</summary>
    public string RunId { get; } = "run-" + Guid.NewGuid().ToString("N")[..10];

    public PostgresServer Server => server ?? throw new InvalidOperationException("PostgreSQL was not started.");

    public async Task InitializeAsync()
    {
        if (PostgresServer.FindBinDirectory() is not null || Environment.GetEnvironmentVariable("CI") == "true")
        {
            server = await PostgresServer.StartAsync();
        }
    }

    /// <summary>A fresh database with the FanForge schema applied.</summary>
    public async Task<string> CreateMigratedDatabaseAsync()
    {
        var connectionString = await Server.CreateDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await new SchemaMigrator(dataSource, NullLogger<SchemaMigrator>.Instance).MigrateAsync();
        return connectionString;
    }

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "PostgreSQL";
}
