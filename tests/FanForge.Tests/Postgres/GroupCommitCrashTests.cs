using System.Collections.Concurrent;
using FanForge.GrainInterfaces.Sequences;
using FanForge.Tests.Infrastructure;
using Npgsql;

namespace FanForge.Tests.Postgres;

[Collection(PostgresCollection.Name), Trait("Category", "Postgres")]
public sealed class GroupCommitCrashTests(PostgresFixture fixture)
{
    /// <summary>
    /// A silo process killed with SIGKILL while batches are in flight: every write a grain acknowledged is in the
    /// table, and at most the one unacknowledged write per grain that was in flight may be there besides. The table
    /// is what any restarted silo reads, so it is checked directly. Runs on the storage the environment selects
    /// (group commit unless <see cref="ClusterNode.GrainStorageVariable"/> says otherwise): the guarantee is the same.
    /// </summary>
    [PostgresFact]
    public async Task A_silo_killed_mid_batch_loses_no_acknowledged_write()
    {
        var connectionString = await fixture.CreateMigratedDatabaseAsync();
        var clusterId = $"{fixture.RunId}-crash-{Guid.NewGuid().ToString("N")[..6]}";
        var node = ClusterNode.Create(connectionString, clusterId);
        await using var victim = SiloProcess.Start(node);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await ClusterHosts.WaitForActiveSilosAsync(connectionString, clusterId, 1, () => victim.LogTail());

        var client = await ClusterHosts.StartClientAsync(ClusterNode.Create(connectionString, clusterId));
        var acknowledged = new ConcurrentDictionary<string, long>();
        using var stop = new CancellationTokenSource();
        try
        {
            // One call in flight per grain at any time, many grains at once: the silo's writes form batches.
            var workers = Enumerable.Range(0, 200).Select(i => Task.Run(async () =>
            {
                var key = $"crash-{i}";
                var sequence = client.Grains().GetGrain<IIdSequence>(key);
                try
                {
                    while (!stop.IsCancellationRequested)
                    {
                        var block = await sequence.ReserveAsync(1);
                        acknowledged[key] = block.First + block.Count;
                    }
                }
                catch (Exception) when (victim.HasExited)
                {
                    // The silo died under this call: its outcome is unknown, which the assertion allows for.
                }
            })).ToArray();

            await ClusterHosts.EventuallyAsync(
                () => Task.FromResult(acknowledged.Values.Sum()), total => total > 5_000, TimeSpan.FromSeconds(60),
                $"the load to get going.\n{victim.LogTail()}");
            victim.KillHard();
            stop.Cancel();
            await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(90));
        }
        finally
        {
            await client.StopAndDisposeAsync();
        }

        var stored = new Dictionary<string, long>();
        await using (var command = dataSource.CreateCommand("""
            SELECT grainidextensionstring, (convert_from(payloadbinary, 'UTF8')::json ->> 'Next')::bigint
              FROM orleansstorage WHERE serviceid = @service AND graintypestring = 'sequence'
            """))
        {
            command.Parameters.AddWithValue("service", node.ServiceId);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                stored[reader.GetString(0)] = reader.GetInt64(1);
            }
        }

        Assert.NotEmpty(acknowledged);
        foreach (var (key, next) in acknowledged)
        {
            Assert.True(stored.TryGetValue(key, out var inTable), $"{key}: acknowledged up to {next} but has no row");
            Assert.InRange(inTable, next, next + 1);
        }
    }
}
