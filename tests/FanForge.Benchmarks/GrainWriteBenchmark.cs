using System.Diagnostics;
using FanForge.GrainInterfaces.Sequences;
using FanForge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FanForge.Benchmarks;

/// <summary>
/// Grain write latency on PostgreSQL: a real silo (ADO.NET storage, JSON payloads) on a throwaway, durable
/// (fsync on) server.
/// </summary>
internal static class GrainWriteBenchmark
{
    public static async Task<object> RunAsync(int writes)
    {
        await using var server = await PostgresServer.StartAsync(durable: true);
        var connectionString = await server.CreateDatabaseAsync();

        // Production, so every production guard applies; the chain is never reached (nothing listens on port 9).
        using var host = await BenchmarkSilo.StartAsync(connectionString, Environments.Production, new Dictionary<string, string?>
        {
            ["Algorand:Mode"] = "Node",
            ["Algorand:AlgodUrl"] = "http://127.0.0.1:9/",
            ["Algorand:IndexerUrl"] = "http://127.0.0.1:9/",
            ["Algorand:PlatformSeed"] = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData("fanforge-benchmark-platform"u8)),
        });
        var grains = host.Services.GetRequiredService<IGrainFactory>();

        // One hot grain: every call is a read-modify-write persisted before it returns.
        var hot = grains.GetGrain<IIdSequence>("bench-hot");
        for (var i = 0; i < 100; i++)
        {
            await hot.ReserveAsync(1);
        }

        var sequential = await Measure.TimeEachAsync(writes, _ => hot.ReserveAsync(1));

        // Many grains, already active: the same write spread over 200 rows.
        var spread = Enumerable.Range(0, 200).Select(i => grains.GetGrain<IIdSequence>($"bench-spread-{i}")).ToArray();
        await Task.WhenAll(spread.Select(g => g.ReserveAsync(1)));
        var spreadLatencies = await Measure.TimeEachAsync(writes, i => spread[i % spread.Length].ReserveAsync(1));

        // Throughput: 64 concurrent writers over 200 grains for a fixed number of writes.
        var concurrentWrites = writes * 2;
        var clock = Stopwatch.StartNew();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 64).Select(async _ =>
        {
            int n;
            while ((n = Interlocked.Increment(ref next)) < concurrentWrites)
            {
                await spread[n % spread.Length].ReserveAsync(1);
            }
        }));
        var throughput = concurrentWrites / clock.Elapsed.TotalSeconds;

        await host.StopAsync();

        return new
        {
            benchmark = "grain_write_latency_postgres",
            postgres = "throwaway PostgreSQL, fsync on, loopback",
            machine = new { cores = Environment.ProcessorCount },
            one_grain_sequential = Measure.Summary(sequential),
            two_hundred_grains_sequential = Measure.Summary(spreadLatencies),
            concurrent_64_writers = new { writes = concurrentWrites, writes_per_second = Math.Round(throughput, 1) },
        };
    }
}
