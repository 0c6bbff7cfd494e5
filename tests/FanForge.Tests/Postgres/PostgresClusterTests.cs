using System.Net.Http.Json;
using System.Text.Json;
using FanForge.GrainInterfaces.Sequences;
using FanForge.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace FanForge.Tests.Postgres;

[Collection(PostgresCollection.Name), Trait("Category", "Postgres")]
public sealed class PostgresClusterTests(PostgresFixture fixture)
{
    private string NewClusterId() => $"{fixture.RunId}-{Guid.NewGuid().ToString("N")[..6]}";

    [PostgresFact]
    public async Task Grain_state_survives_a_full_silo_restart_and_is_stored_as_plain_json()
    {
        var member = ClusterNode.Create(await fixture.CreateMigratedDatabaseAsync(), NewClusterId());
        var key = "orders-" + Guid.NewGuid().ToString("N");

        var first = await ClusterHosts.StartSiloAsync(member);
        await first.Grains().GetGrain<IIdSequence>(key).ReserveAsync(25);
        await first.Grains().GetGrain<IIdSequence>(key).ReserveAsync(5);
        await first.StopAndDisposeAsync();

        var second = await ClusterHosts.StartSiloAsync(member);
        try
        {
            Assert.Equal(31, await second.Grains().GetGrain<IIdSequence>(key).PeekAsync());
        }
        finally
        {
            await second.StopAndDisposeAsync();
        }

        await using var dataSource = NpgsqlDataSource.Create(member.ConnectionString);
        await using var command = dataSource.CreateCommand(
            "SELECT graintypestring, convert_from(payloadbinary, 'UTF8') FROM OrleansStorage WHERE serviceid = @service");
        command.Parameters.AddWithValue("service", member.ServiceId);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        // The ADO.NET provider keys rows by the state name, so state names are as much persisted identity as grain types.
        Assert.Equal("sequence", reader.GetString(0));
        var payload = JsonDocument.Parse(reader.GetString(1)).RootElement;
        Assert.Equal(31, payload.GetProperty("Next").GetInt64());
        Assert.DoesNotContain("$type", reader.GetString(1));
    }

    [PostgresFact]
    public async Task Reminder_fires_again_after_a_full_silo_restart()
    {
        var member = ClusterNode.Create(await fixture.CreateMigratedDatabaseAsync(), NewClusterId());
        var key = "probe-" + Guid.NewGuid().ToString("N");

        var first = await ClusterHosts.StartSiloAsync(member);
        var probe = first.Grains().GetGrain<IReminderProbe>(key);
        await probe.StartAsync(TimeSpan.FromSeconds(1));
        var ticksBeforeRestart = await ClusterHosts.EventuallyAsync(
            () => probe.GetTicksAsync(), t => t >= 1, TimeSpan.FromSeconds(30), "the first reminder tick");
        await first.StopAndDisposeAsync();

        var second = await ClusterHosts.StartSiloAsync(member);
        try
        {
            // Nothing but the reminder increments the count, so a higher count proves it fired after the restart.
            var restarted = second.Grains().GetGrain<IReminderProbe>(key);
            await ClusterHosts.EventuallyAsync(
                () => restarted.GetTicksAsync(), t => t > ticksBeforeRestart, TimeSpan.FromSeconds(60), "a reminder tick after restart");
            await restarted.StopAsync();
        }
        finally
        {
            await second.StopAndDisposeAsync();
        }
    }

    [PostgresFact]
    public async Task Two_silos_and_an_api_client_share_one_cluster()
    {
        var connectionString = await fixture.CreateMigratedDatabaseAsync();
        var clusterId = NewClusterId();
        var memberA = ClusterNode.Create(connectionString, clusterId);
        var memberB = ClusterNode.Create(connectionString, clusterId);
        var siloA = await ClusterHosts.StartSiloAsync(memberA);
        var siloB = await ClusterHosts.StartSiloAsync(memberB);
        try
        {
            await using var api = new ClientModeApiFactory(memberA);
            var http = api.CreateClient();

            var ready = await ClusterHosts.EventuallyAsync(
                () => http.GetFromJsonAsync<JsonElement>("/health/ready"),
                r => r.GetProperty("checks").GetProperty("cluster").GetProperty("data").GetProperty("activeSilos").GetInt32() == 2,
                TimeSpan.FromSeconds(60), "the API to see both silos");
            var silos = ready.GetProperty("checks").GetProperty("cluster").GetProperty("data").GetProperty("silos")
                .EnumerateArray().Select(s => s.GetString()!).ToList();
            Assert.Contains(silos, s => s.StartsWith($"127.0.0.1:{memberA.SiloPort}@", StringComparison.Ordinal));
            Assert.Contains(silos, s => s.StartsWith($"127.0.0.1:{memberB.SiloPort}@", StringComparison.Ordinal));
            Assert.Equal("healthy", ready.GetProperty("checks").GetProperty("postgres").GetProperty("status").GetString());

            // Grains reached through the API's client spread over both silos, and each silo sees the same activation.
            var grains = api.Services.GetRequiredService<IGrainFactory>();
            var management = grains.GetGrain<IManagementGrain>(0);
            var hosting = new HashSet<int>();
            // Random placement (a test grain): the default placement weighs load and may keep a busy machine's run
            // on one silo. Bounded: 64 grains all on one of two silos by chance is 2^-63.
            for (var i = 0; i < 64 && hosting.Count < 2; i++)
            {
                var probe = grains.GetGrain<IPlacementProbe>($"spread-{clusterId}-{i}");
                Assert.Equal(1, await probe.IncrementAsync());
                var address = await management.GetActivationAddress(probe);
                Assert.NotNull(address);
                hosting.Add(address.Endpoint.Port);
                Assert.Equal(1, await siloB.Grains().GetGrain<IPlacementProbe>($"spread-{clusterId}-{i}").GetAsync());
            }

            Assert.Equal(new[] { memberA.SiloPort, memberB.SiloPort }.Order(), hosting.Order());
        }
        finally
        {
            await siloB.StopAndDisposeAsync();
            await siloA.StopAndDisposeAsync();
        }
    }

    private sealed class ClientModeApiFactory(ClusterNode member) : FanForgeApiFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Api:Hosting", "Client");
            foreach (var (key, value) in member.Settings)
            {
                builder.UseSetting(key, value);
            }
        }
    }
}
