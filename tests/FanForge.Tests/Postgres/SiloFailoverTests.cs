using FanForge.GrainInterfaces.Sequences;
using FanForge.Tests.Infrastructure;

namespace FanForge.Tests.Postgres;

[Collection(PostgresCollection.Name), Trait("Category", "Postgres")]
public sealed class SiloFailoverTests(PostgresFixture fixture)
{
    [PostgresFact]
    public async Task Grains_of_a_silo_killed_with_sigkill_reactivate_on_the_survivor_with_their_last_written_state()
    {
        var connectionString = await fixture.CreateMigratedDatabaseAsync();
        var clusterId = $"{fixture.RunId}-failover";
        await using var survivor = SiloProcess.Start(ClusterNode.Create(connectionString, clusterId));
        await using var victim = SiloProcess.Start(ClusterNode.Create(connectionString, clusterId));
        await ClusterHosts.WaitForActiveSilosAsync(
            connectionString, clusterId, 2, () => $"survivor:\n{survivor.LogTail()}\nvictim:\n{victim.LogTail()}");

        var client = await ClusterHosts.StartClientAsync(ClusterNode.Create(connectionString, clusterId));
        try
        {
            var management = client.Grains().GetGrain<IManagementGrain>(0);
            Assert.Equal(2, (await management.GetHosts(onlyActive: true)).Count);

            // Write state into grains spread over both silos and remember which ones live on the victim.
            var expected = new Dictionary<string, long>();
            var onVictim = new List<string>();
            for (var i = 0; i < 60; i++)
            {
                var key = $"failover-{i}";
                var sequence = client.Grains().GetGrain<IIdSequence>(key);
                var block = await sequence.ReserveAsync(i + 3);
                expected[key] = block.First + block.Count;
                var address = await management.GetActivationAddress(sequence);
                if (address?.Endpoint.Port == victim.Node.SiloPort)
                {
                    onVictim.Add(key);
                }
            }

            Assert.NotEmpty(onVictim);

            victim.KillHard();

            foreach (var key in onVictim)
            {
                var sequence = client.Grains().GetGrain<IIdSequence>(key);
                var next = await ClusterHosts.EventuallyAsync(
                    () => sequence.PeekAsync(), _ => true, TimeSpan.FromSeconds(120),
                    $"grain {key} to reactivate (survivor {(survivor.HasExited ? "exited" : "running")}).\nsurvivor:\n{survivor.LogTail()}");
                Assert.Equal(expected[key], next);
                var address = await management.GetActivationAddress(sequence);
                Assert.Equal(survivor.Node.SiloPort, address?.Endpoint.Port);
            }

            Assert.False(survivor.HasExited, survivor.LogTail());
        }
        finally
        {
            await client.StopAndDisposeAsync();
        }
    }
}
