using FanForge.GrainInterfaces.Sequences;
using FanForge.Grains;
using FanForge.Silo.Storage;
using FanForge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace FanForge.Tests.Postgres;

/// <summary>
/// The group-commit grain storage against a real PostgreSQL: same rows as Orleans' stock ADO.NET provider, per-grain
/// optimistic concurrency inside shared batches, and batches that really batch.
/// </summary>
[Collection(PostgresCollection.Name), Trait("Category", "Postgres")]
public sealed class GroupCommitStorageTests(PostgresFixture fixture)
{
    private const string StateName = "probe";

    private static readonly IReadOnlyDictionary<string, string> StockStorage =
        new Dictionary<string, string> { ["Cluster:GrainStorage"] = "AdoNet" };

    private static readonly IReadOnlyDictionary<string, string> GroupCommitStorage =
        new Dictionary<string, string> { ["Cluster:GrainStorage"] = "GroupCommit" };

    [PostgresFact]
    public async Task Stock_and_group_commit_storage_read_and_write_the_same_rows_for_every_kind_of_grain_key()
    {
        var member = await NewMemberAsync();
        var host = await ClusterHosts.StartSiloAsync(member, StockStorage);
        try
        {
            var stock = host.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Default);
            Assert.IsNotType<PostgresGroupCommitStorage>(stock);
            await using var groupCommit = NewGroupCommitStorage(host, member);

            var guid = Guid.NewGuid();
            var grains = new[]
            {
                GrainId.Create("probe", "string-key-" + guid.ToString("N")),
                GrainId.Create(GrainType.Create("probe"), GrainIdKeyExtensions.CreateIntegerKey(4711)),
                GrainId.Create(GrainType.Create("probe"), GrainIdKeyExtensions.CreateIntegerKey(-4711, "extension/ü")),
                GrainId.Create(GrainType.Create("probe"), GrainIdKeyExtensions.CreateGuidKey(guid)),
                GrainId.Create(GrainType.Create("probe"), GrainIdKeyExtensions.CreateGuidKey(guid, "extension")),
            };

            foreach (var grain in grains)
            {
                // Stock writes first, group commit reads, writes on, stock reads; then the other way round.
                var byStock = new GrainState<ProbeState>(new ProbeState { Text = "stock-1", Number = 1 });
                await stock.WriteStateAsync(StateName, grain, byStock);

                var byGroupCommit = new GrainState<ProbeState>();
                await groupCommit.ReadStateAsync(StateName, grain, byGroupCommit);
                Assert.True(byGroupCommit.RecordExists, grain.ToString());
                Assert.Equal(byStock.ETag, byGroupCommit.ETag);
                Assert.Equal(("stock-1", 1), (byGroupCommit.State!.Text, byGroupCommit.State!.Number));

                byGroupCommit.State = new ProbeState { Text = "group-2", Number = 2 };
                await groupCommit.WriteStateAsync(StateName, grain, byGroupCommit);
                await stock.ReadStateAsync(StateName, grain, byStock);
                Assert.Equal(byGroupCommit.ETag, byStock.ETag);
                Assert.Equal(("group-2", 2), (byStock.State!.Text, byStock.State!.Number));

                // Each provider refuses the ETag the other has moved past.
                await Assert.ThrowsAsync<InconsistentStateException>(() => groupCommit.WriteStateAsync(StateName, grain, new GrainState<ProbeState>(new ProbeState(), "1")));

                byStock.State!.Number = 3;
                await stock.WriteStateAsync(StateName, grain, byStock);
                await groupCommit.ReadStateAsync(StateName, grain, byGroupCommit);
                Assert.Equal((byStock.ETag, 3), (byGroupCommit.ETag, byGroupCommit.State!.Number));

                // Clearing keeps the row with no payload and a bumped version, as the stock provider does.
                await groupCommit.ClearStateAsync(StateName, grain, byGroupCommit);
                Assert.False(byGroupCommit.RecordExists);
                await stock.ReadStateAsync(StateName, grain, byStock);
                Assert.False(byStock.RecordExists);
                Assert.Equal(byGroupCommit.ETag, byStock.ETag);
                Assert.Equal(0, byStock.State!.Number);

                // A cleared row is written again by version, by either provider.
                byStock.State = new ProbeState { Text = "after-clear", Number = 5 };
                await stock.WriteStateAsync(StateName, grain, byStock);
                await groupCommit.ReadStateAsync(StateName, grain, byGroupCommit);
                Assert.Equal((byStock.ETag, "after-clear"), (byGroupCommit.ETag, byGroupCommit.State!.Text));
                await stock.ClearStateAsync(StateName, grain, byStock);
                await groupCommit.ReadStateAsync(StateName, grain, byGroupCommit);
                Assert.Equal((byStock.ETag, false), (byGroupCommit.ETag, byGroupCommit.RecordExists));
            }

            // First writes by the group-commit storage are found by the stock provider.
            var fresh = grains.Select(g => GrainId.Create(g.Type.ToString()!, g.Key + "-fresh")).Append(
                GrainId.Create(GrainType.Create("probe"), GrainIdKeyExtensions.CreateGuidKey(Guid.NewGuid(), "x"))).ToList();
            foreach (var grain in fresh)
            {
                var written = new GrainState<ProbeState>(new ProbeState { Text = "fresh", Number = 7 });
                await groupCommit.WriteStateAsync(StateName, grain, written);
                Assert.Equal("1", written.ETag);
                var read = new GrainState<ProbeState>();
                await stock.ReadStateAsync(StateName, grain, read);
                Assert.Equal(("1", true, 7), (read.ETag, read.RecordExists, read.State!.Number));
            }

            // One row per grain: neither provider ever missed the other's row and inserted a duplicate.
            Assert.Equal(grains.Length + fresh.Count, await CountRowsAsync(member));
        }
        finally
        {
            await host.StopAndDisposeAsync();
        }
    }

    [PostgresFact]
    public async Task A_stale_etag_fails_only_its_own_write_while_the_rest_of_the_batch_commits()
    {
        var member = await NewMemberAsync();
        var host = await ClusterHosts.StartSiloAsync(member, StockStorage);
        try
        {
            await using var storage = NewGroupCommitStorage(host, member);
            var grains = Enumerable.Range(0, 300).Select(i => GrainId.Create("probe", $"stale-{i}")).ToArray();
            var states = grains.Select(_ => new GrainState<ProbeState>(new ProbeState { Number = 1 })).ToArray();
            await Task.WhenAll(grains.Select((g, i) => storage.WriteStateAsync(StateName, g, states[i])));
            Assert.All(states, s => Assert.Equal("1", s.ETag));

            // Grain 150 moves on through another writer; its own copy stays at version 1, i.e. stale.
            const int Stale = 150;
            await storage.WriteStateAsync(StateName, grains[Stale], new GrainState<ProbeState>(new ProbeState { Number = 99 }, "1"));
            // And two activations of one brand-new grain race their first writes into the same batch.
            var newcomer = GrainId.Create("probe", "newcomer");
            var twins = new[] { new GrainState<ProbeState>(new ProbeState { Number = 1 }), new GrainState<ProbeState>(new ProbeState { Number = 2 }) };

            var batchesBefore = storage.CommittedBatches;
            foreach (var state in states)
            {
                state.State!.Number = 2;
            }

            var writes = grains.Select((g, i) => storage.WriteStateAsync(StateName, g, states[i]))
                .Concat(twins.Select(t => storage.WriteStateAsync(StateName, newcomer, t)))
                .ToArray();
            var outcomes = await Task.WhenAll(writes.Select(async w =>
            {
                try
                {
                    await w;
                    return null;
                }
                catch (Exception ex)
                {
                    return ex;
                }
            }));

            Assert.IsType<InconsistentStateException>(outcomes[Stale]);
            Assert.All(outcomes.Take(grains.Length).Where((_, i) => i != Stale), o => Assert.Null(o));
            Assert.All(states.Where((_, i) => i != Stale), s => Assert.Equal("2", s.ETag));
            // Exactly one twin wins; the other learns it lost, and the winner's state is the stored one.
            var twinOutcomes = outcomes.Skip(grains.Length).ToArray();
            Assert.Single(twinOutcomes, o => o is null);
            Assert.Single(twinOutcomes, o => o is InconsistentStateException);
            // The wave shared transactions: far fewer than one per write (the first batch may hold a single write).
            Assert.InRange(storage.CommittedBatches - batchesBefore, 2, 20);

            var stored = new GrainState<ProbeState>();
            await storage.ReadStateAsync(StateName, grains[Stale], stored);
            Assert.Equal(("2", 99), (stored.ETag, stored.State!.Number));
            await storage.ReadStateAsync(StateName, grains[0], stored);
            Assert.Equal(("2", 2), (stored.ETag, stored.State!.Number));
            await storage.ReadStateAsync(StateName, newcomer, stored);
            var winner = twins.Single(t => t.ETag == "1");
            Assert.Equal(winner.State!.Number, stored.State!.Number);
        }
        finally
        {
            await host.StopAndDisposeAsync();
        }
    }

    [PostgresFact]
    public async Task Concurrent_writes_share_few_transactions_and_no_batch_exceeds_the_cap()
    {
        var member = await NewMemberAsync();
        var host = await ClusterHosts.StartSiloAsync(member, StockStorage);
        try
        {
            const int Writes = 2000;
            await using var storage = NewGroupCommitStorage(host, member, maxBatchSize: 64);
            var commitsBefore = await TransactionsCommittedAsync(member);

            await Task.WhenAll(Enumerable.Range(0, Writes).Select(i =>
                storage.WriteStateAsync(StateName, GrainId.Create("probe", $"batch-{i}"), new GrainState<ProbeState>(new ProbeState { Number = i }))));

            Assert.Equal(Writes, storage.CommittedWrites);
            // At least Writes / 64 because of the cap; far fewer than Writes because of the batching.
            Assert.InRange(storage.CommittedBatches, Writes / 64, Writes / 10);
            Assert.Equal(Writes, await CountRowsAsync(member));

            // The server agrees: it committed about one transaction per batch, not one per write. Its counters are
            // flushed lazily, so wait until they cover the batches (plus the few transactions of this test's probes).
            var commits = await ClusterHosts.EventuallyAsync(
                async () => await TransactionsCommittedAsync(member) - commitsBefore,
                delta => delta >= storage.CommittedBatches, TimeSpan.FromSeconds(30), "pg_stat_database to count the batches");
            Assert.InRange(commits, storage.CommittedBatches, Writes / 5);
        }
        finally
        {
            await host.StopAndDisposeAsync();
        }
    }

    [PostgresFact]
    public async Task Concurrent_activation_reads_share_few_round_trips_and_each_gets_its_own_row()
    {
        var member = await NewMemberAsync();
        var host = await ClusterHosts.StartSiloAsync(member, StockStorage);
        try
        {
            const int Reads = 1000;
            await using var storage = NewGroupCommitStorage(host, member, maxBatchSize: 64);
            // Every other grain has a row; the rest read as new grains.
            await Task.WhenAll(Enumerable.Range(0, Reads).Where(i => i % 2 == 0).Select(i =>
                storage.WriteStateAsync(StateName, GrainId.Create("probe", $"read-{i}"), new GrainState<ProbeState>(new ProbeState { Number = i, Text = $"row {i}" }))));

            var states = Enumerable.Range(0, Reads).Select(_ => new GrainState<ProbeState>()).ToArray();
            await Task.WhenAll(Enumerable.Range(0, Reads).Select(i => storage.ReadStateAsync(StateName, GrainId.Create("probe", $"read-{i}"), states[i])));

            for (var i = 0; i < Reads; i++)
            {
                var stored = i % 2 == 0;
                Assert.Equal(stored, states[i].RecordExists);
                Assert.Equal(stored ? i : 0, states[i].State!.Number);
                Assert.Equal(stored ? $"row {i}" : "", states[i].State!.Text);
                Assert.Equal(stored ? "1" : null, states[i].ETag);
            }

            // At least Reads / 64 because of the cap; far fewer than one round trip per read because of the batching.
            Assert.InRange(storage.ReadBatches, Reads / 64, Reads / 5);

            // A lone read waits for nobody: it is answered by its own round trip.
            var before = storage.ReadBatches;
            var lone = new GrainState<ProbeState>();
            await storage.ReadStateAsync(StateName, GrainId.Create("probe", "read-0"), lone);
            Assert.Equal(0, lone.State!.Number);
            Assert.True(lone.RecordExists);
            Assert.Equal(before + 1, storage.ReadBatches);
        }
        finally
        {
            await host.StopAndDisposeAsync();
        }
    }

    [PostgresFact]
    public async Task When_the_database_is_unreachable_every_write_of_the_batch_fails_and_the_storage_keeps_working()
    {
        var member = await NewMemberAsync();
        var host = await ClusterHosts.StartSiloAsync(member, StockStorage);
        try
        {
            var unreachable = member with { ConnectionString = $"Host=127.0.0.1;Port={PostgresServer.FreeTcpPort()};Username=postgres;Timeout=2" };
            await using var storage = NewGroupCommitStorage(host, unreachable);
            var writes = Enumerable.Range(0, 20)
                .Select(i => storage.WriteStateAsync(StateName, GrainId.Create("probe", $"down-{i}"), new GrainState<ProbeState>(new ProbeState())))
                .ToArray();
            foreach (var write in writes)
            {
                var error = await Assert.ThrowsAnyAsync<Exception>(() => write);
                Assert.IsNotType<InconsistentStateException>(error);
            }

            Assert.Equal(0, storage.CommittedWrites);
            // The committer survived: a later write is attempted (and fails) rather than hanging.
            await Assert.ThrowsAnyAsync<NpgsqlException>(() =>
                storage.WriteStateAsync(StateName, GrainId.Create("probe", "down-later"), new GrainState<ProbeState>(new ProbeState())).WaitAsync(TimeSpan.FromSeconds(30)));
        }
        finally
        {
            await host.StopAndDisposeAsync();
        }
    }

    [PostgresFact]
    public async Task A_cluster_switches_storage_provider_across_a_restart_in_either_direction_without_losing_state()
    {
        var member = await NewMemberAsync();
        var key = "switch-" + Guid.NewGuid().ToString("N");
        long? expected = null;
        foreach (var storage in new[] { StockStorage, GroupCommitStorage, StockStorage })
        {
            var host = await ClusterHosts.StartSiloAsync(member, storage);
            try
            {
                Assert.Equal(
                    storage == GroupCommitStorage,
                    host.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Default) is PostgresGroupCommitStorage);
                var sequence = host.Grains().GetGrain<IIdSequence>(key);
                if (expected is { } next)
                {
                    Assert.Equal(next, await sequence.PeekAsync());
                }

                var block = await sequence.ReserveAsync(10);
                expected = block.First + block.Count;
            }
            finally
            {
                await host.StopAndDisposeAsync();
            }
        }

        Assert.Equal(1, await CountRowsAsync(member));
    }

    private async Task<ClusterNode> NewMemberAsync() =>
        ClusterNode.Create(await fixture.CreateMigratedDatabaseAsync(), $"{fixture.RunId}-{Guid.NewGuid().ToString("N")[..6]}");

    /// <summary>A group-commit storage beside the silo's own provider, with the silo's serializer and activators.</summary>
    private static PostgresGroupCommitStorage NewGroupCommitStorage(IHost host, ClusterNode member, int maxBatchSize = 256)
    {
        var options = new OptionsMonitor<GroupCommitStorageOptions>(
            new OptionsFactory<GroupCommitStorageOptions>(
                [new ConfigureNamedOptions<GroupCommitStorageOptions>(null, o =>
                {
                    o.ConnectionString = member.ConnectionString;
                    o.MaxBatchSize = maxBatchSize;
                })],
                []),
            [],
            new OptionsCache<GroupCommitStorageOptions>());
        return new PostgresGroupCommitStorage(
            StorageNames.Default,
            Options.Create(new ClusterOptions { ClusterId = member.ClusterId, ServiceId = member.ServiceId }),
            options,
            host.Services.GetRequiredService<IGrainStorageSerializer>(),
            host.Services.GetRequiredService<IActivatorProvider>(),
            NullLogger<PostgresGroupCommitStorage>.Instance);
    }

    private static async Task<long> CountRowsAsync(ClusterNode member)
    {
        await using var dataSource = NpgsqlDataSource.Create(member.ConnectionString);
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM orleansstorage WHERE serviceid = @service");
        command.Parameters.AddWithValue("service", member.ServiceId);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<long> TransactionsCommittedAsync(ClusterNode member)
    {
        await using var connection = new NpgsqlConnection(member.ConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public sealed class ProbeState
    {
        public string Text { get; set; } = "";

        public int Number { get; set; }
    }
}
