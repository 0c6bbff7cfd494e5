using FanForge.Silo.Schema;
using FanForge.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace FanForge.Tests.Postgres;

[Collection(PostgresCollection.Name), Trait("Category", "Postgres")]
public sealed class SchemaMigratorTests(PostgresFixture fixture)
{
    // The query keys the Orleans 10.4.2 ADO.NET providers read from OrleansQuery at startup.
    private static readonly string[] RequiredQueryKeys =
    [
        "UpdateIAmAlivetimeKey", "InsertMembershipVersionKey", "InsertMembershipKey", "UpdateMembershipKey",
        "GatewaysQueryKey", "MembershipReadRowKey", "MembershipReadAllKey", "DeleteMembershipTableEntriesKey",
        "CleanupDefunctSiloEntriesKey",
        "WriteToStorageKey", "ReadFromStorageKey", "ClearStorageKey", "DeleteStorageKey",
        "UpsertReminderRowKey", "ReadReminderRowsKey", "ReadReminderRowKey", "ReadRangeRows1Key", "ReadRangeRows2Key",
        "DeleteReminderRowKey", "DeleteReminderRowsKey",
    ];

    private static SchemaMigrator Migrator(NpgsqlDataSource dataSource) => new(dataSource, NullLogger<SchemaMigrator>.Instance);

    private static async Task<long> CountAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [PostgresFact]
    public async Task Migrator_applies_every_script_once_and_a_second_run_changes_nothing()
    {
        await using var dataSource = NpgsqlDataSource.Create(await fixture.Server.CreateDatabaseAsync());

        var first = await Migrator(dataSource).MigrateAsync();
        var queries = await CountAsync(dataSource, "SELECT count(*) FROM OrleansQuery");
        var second = await Migrator(dataSource).MigrateAsync();

        Assert.Equal(SchemaMigrator.EmbeddedScripts.Select(s => s.Name), first.Applied);
        Assert.Empty(second.Applied);
        Assert.Equal(first.Applied, second.AlreadyPresent);
        Assert.Equal(queries, await CountAsync(dataSource, "SELECT count(*) FROM OrleansQuery"));
    }

    [PostgresFact]
    public async Task Migrator_run_by_many_silos_at_once_applies_each_script_exactly_once()
    {
        var connectionString = await fixture.Server.CreateDatabaseAsync();
        var dataSources = Enumerable.Range(0, 4).Select(_ => NpgsqlDataSource.Create(connectionString)).ToList();

        var reports = await Task.WhenAll(dataSources.Select(d => Migrator(d).MigrateAsync()));

        Assert.Equal(
            SchemaMigrator.EmbeddedScripts.Select(s => s.Name).Order(),
            reports.SelectMany(r => r.Applied).Order());
        Assert.Equal(SchemaMigrator.EmbeddedScripts.Count, await CountAsync(dataSources[0], "SELECT count(*) FROM fanforge_schema_migrations"));
        foreach (var dataSource in dataSources)
        {
            await dataSource.DisposeAsync();
        }
    }

    [PostgresFact]
    public async Task Migrator_refuses_to_run_when_an_applied_script_was_edited()
    {
        await using var dataSource = NpgsqlDataSource.Create(await fixture.Server.CreateDatabaseAsync());
        await Migrator(dataSource).MigrateAsync();
        await using (var tamper = dataSource.CreateCommand("UPDATE fanforge_schema_migrations SET sha256 = 'edited' WHERE version = 2"))
        {
            await tamper.ExecuteNonQueryAsync();
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Migrator(dataSource).MigrateAsync());

        Assert.Contains(SchemaMigrator.EmbeddedScripts.Single(s => s.Version == 2).Name, error.Message);
    }

    [PostgresFact]
    public async Task Schema_installs_every_query_the_orleans_providers_read()
    {
        await using var dataSource = NpgsqlDataSource.Create(await fixture.CreateMigratedDatabaseAsync());
        var keys = new List<string>();
        await using (var command = dataSource.CreateCommand("SELECT QueryKey FROM OrleansQuery"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                keys.Add(reader.GetString(0));
            }
        }

        Assert.Empty(RequiredQueryKeys.Except(keys));
    }
}
