using FanForge.GrainInterfaces.Loyalty;
using FanForge.Grains;
using FanForge.Grains.Loyalty;
using FanForge.Silo.Schema;
using FanForge.Silo.Storage;
using FanForge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orleans.Storage;

namespace FanForge.Tests.Postgres;

/// <summary>
/// The fan index on PostgreSQL: a table the pairs insert into in shared round trips, read through the fan's index
/// grain, and filled once from the per-fan grain rows that held it before.
/// </summary>
[Collection(PostgresCollection.Name), Trait("Category", "Postgres")]
public sealed class FanCreatorIndexTests(PostgresFixture fixture)
{
    [PostgresFact]
    public async Task Concurrent_inserts_share_round_trips_are_idempotent_and_read_back_through_the_grain()
    {
        var member = await NewMemberAsync();
        var host = await ClusterHosts.StartSiloAsync(member);
        try
        {
            var index = Assert.IsType<PostgresFanCreatorIndex>(host.Services.GetRequiredService<IFanCreatorIndex>());
            var fans = Enumerable.Range(0, 200).Select(i => $"index-fan-{i}").ToArray();
            var creators = new[] { "index-creator-a", "index-creator-b", "index-creator-c" };
            var adds = fans.SelectMany(f => creators.Select(c => (Fan: f, Creator: c))).ToList();
            var batchesBefore = index.Batches;

            // Every pair twice, all at once: as many pairs delivering their first tips together.
            await Task.WhenAll(adds.Concat(adds).Select(a => index.AddAsync(a.Fan, a.Creator)));

            var roundTrips = index.Batches - batchesBefore;
            Assert.InRange(roundTrips, 1, adds.Count * 2 / 10);
            Assert.Equal(adds.Count, await CountAsync(member.ConnectionString, "SELECT count(*) FROM fanforge_fan_creators"));
            foreach (var fan in fans.Take(20))
            {
                Assert.Equal(creators, (await host.Grains().GetGrain<IFanTipIndex>(fan).GetCreatorsAsync()).Order());
            }

            Assert.Empty(await host.Grains().GetGrain<IFanTipIndex>("index-fan-nobody").GetCreatorsAsync());
        }
        finally
        {
            await host.StopAndDisposeAsync();
        }
    }

    [PostgresFact]
    public async Task A_tip_from_a_new_pair_lists_its_creator_for_the_fan_without_a_grain_row_for_the_index()
    {
        var member = await NewMemberAsync();
        var host = await ClusterHosts.StartSiloAsync(member);
        try
        {
            var (creator, fan) = (new TestWallet(171).Address, new TestWallet(172).Address);
            await host.Grains().GetGrain<ICreatorPayments>(creator).ApplyAsync(
                [new ChainTip(fan, creator, 1_000_000, "", new ChainPosition(7, 0), "INDEX-TIP-1", DateTimeOffset.UnixEpoch)]);

            Assert.Equal([creator], await host.Grains().GetGrain<IFanTipIndex>(fan).GetCreatorsAsync());
            Assert.Equal(0, await CountAsync(member.ConnectionString, "SELECT count(*) FROM orleansstorage WHERE graintypestring IN ('fan-tip-index', 'fan-creators')"));
        }
        finally
        {
            await host.StopAndDisposeAsync();
        }
    }

    [PostgresFact]
    public async Task The_schema_script_copies_the_index_rows_written_before_the_table_existed()
    {
        var member = await NewMemberAsync();
        var host = await ClusterHosts.StartSiloAsync(member);
        try
        {
            // The index as earlier silos stored it: a state row per fan (both storage providers write the same row).
            var stock = host.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Default);
            var legacy = new Dictionary<string, string[]>
            {
                ["legacy-fan-1"] = ["legacy-creator-a", "legacy-creator-b"],
                ["legacy-fan-2"] = ["legacy-creator-a"],
                ["legacy-fan-3"] = [],
            };
            foreach (var (fan, creators) in legacy)
            {
                await stock.WriteStateAsync(
                    "fan-tip-index", GrainId.Create("ff.fan-tip-index", fan), new GrainState<LegacyFanTipIndexState>(new LegacyFanTipIndexState { CreatorWallets = [.. creators] }));
            }
        }
        finally
        {
            await host.StopAndDisposeAsync();
        }

        // Back to the schema before script 6, keeping those rows; then the migrator runs as a silo's start-up would.
        await ExecuteAsync(member.ConnectionString, "DROP TABLE fanforge_fan_creators; DELETE FROM fanforge_schema_migrations WHERE version = 6");
        await using (var dataSource = NpgsqlDataSource.Create(member.ConnectionString))
        {
            var report = await new SchemaMigrator(dataSource, NullLogger<SchemaMigrator>.Instance).MigrateAsync();
            Assert.Equal(["0006_fanforge_fan_creators.sql"], report.Applied);
        }

        var restarted = await ClusterHosts.StartSiloAsync(member);
        try
        {
            Assert.Equal(["legacy-creator-a", "legacy-creator-b"], (await restarted.Grains().GetGrain<IFanTipIndex>("legacy-fan-1").GetCreatorsAsync()).Order());
            Assert.Equal(["legacy-creator-a"], await restarted.Grains().GetGrain<IFanTipIndex>("legacy-fan-2").GetCreatorsAsync());
            Assert.Empty(await restarted.Grains().GetGrain<IFanTipIndex>("legacy-fan-3").GetCreatorsAsync());
            Assert.Equal(3, await CountAsync(member.ConnectionString, "SELECT count(*) FROM fanforge_fan_creators"));
        }
        finally
        {
            await restarted.StopAndDisposeAsync();
        }
    }

    /// <summary>The shape the per-fan index grain persisted (its JSON is what the schema script reads).</summary>
    private sealed class LegacyFanTipIndexState
    {
        public HashSet<string> CreatorWallets { get; set; } = [];
    }

    private async Task<ClusterNode> NewMemberAsync() =>
        ClusterNode.Create(await fixture.CreateMigratedDatabaseAsync(), $"{fixture.RunId}-{Guid.NewGuid().ToString("N")[..6]}");

    private static async Task<long> CountAsync(string connectionString, string sql)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
