using System.Diagnostics;
using FanForge.GrainInterfaces.Loyalty;
using FanForge.GrainInterfaces.Memberships;
using FanForge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FanForge.Benchmarks;

/// <summary>
/// Many memberships expiring within the same minute on PostgreSQL, with the silo restarted in the middle of that
/// minute: every expiry must be booked by its reminder (no membership is read before all are counted), and the lateness
/// of each booking is reported.
/// </summary>
internal static class MembershipExpiryBenchmark
{
    private const int FansPerCreator = 100;

    public static async Task<object> RunAsync(int memberships, int validitySeconds)
    {
        await using var server = await PostgresServer.StartAsync(durable: true);
        var connectionString = await server.CreateDatabaseAsync();
        var clusterId = "bench-" + Guid.NewGuid().ToString("N")[..8];
        var settings = new Dictionary<string, string?>
        {
            ["Cluster:ClusterId"] = clusterId,
            ["Algorand:Mode"] = "Simulated",
            // Measures our pipeline, not the simulator: keep the simulated chain in memory.
            ["Algorand:Simulation:Durable"] = "false",
            ["Algorand:Simulation:AutoFundMicroAlgo"] = "1000000000",
            ["Loyalty:MembershipValidity"] = TimeSpan.FromSeconds(validitySeconds).ToString(),
        };
        var first = await BenchmarkSilo.StartAsync(connectionString, "Staging", settings);

        // Expiries spread evenly over one minute that starts validitySeconds after now.
        var creators = Enumerable.Range(0, (memberships + FansPerCreator - 1) / FansPerCreator).Select(i => Wallet(1, i)).ToList();
        var start = DateTimeOffset.UtcNow;
        var spacing = TimeSpan.FromMinutes(1) / memberships;
        var buying = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, creators.Count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (c, _) =>
        {
            var payments = Enumerable.Range(0, Math.Min(FansPerCreator, memberships - c * FansPerCreator)).Select(f =>
            {
                var n = c * FansPerCreator + f;
                return new ChainTip(Wallet(2, n), creators[c], 5_000_000, "MEMBERSHIP:BAUNI", new ChainPosition(1, (ulong)f), $"BAUNI-{n}", start + spacing * n);
            }).ToList();
            await first.Services.GetRequiredService<IGrainFactory>().GetGrain<ICreatorPayments>(creators[c]).ApplyAsync(payments);
        });
        var boughtIn = buying.Elapsed;
        var firstExpiry = start + TimeSpan.FromSeconds(validitySeconds);

        // Restart in the middle of the expiry minute: graceful stop of the only silo, then a new one on the same cluster.
        await DelayUntilAsync(firstExpiry + TimeSpan.FromSeconds(30));
        var before = await CountsAsync(first, creators);
        await first.StopAsync();
        first.Dispose();
        var restartedAt = DateTimeOffset.UtcNow;
        using var second = await BenchmarkSilo.StartAsync(connectionString, "Staging", settings);
        var downtime = DateTimeOffset.UtcNow - restartedAt;

        var waited = Stopwatch.StartNew();
        var after = await CountsAsync(second, creators);
        while (after.Expirations < memberships && waited.Elapsed < TimeSpan.FromMinutes(5))
        {
            await Task.Delay(1000);
            after = await CountsAsync(second, creators);
        }

        // Only now read the memberships (a read would book a missed expiry itself and hide a lost reminder).
        var grains = second.Services.GetRequiredService<IGrainFactory>();
        var views = new List<MembershipView>();
        foreach (var chunk in Enumerable.Range(0, memberships).Chunk(500))
        {
            views.AddRange(await Task.WhenAll(chunk.Select(n => grains.GetGrain<IMembership>(FanLoyaltyKey.For(creators[n / FansPerCreator], Wallet(2, n))).GetAsync())));
        }

        var lateness = views.Where(v => v.ExpiryBookedAt is not null).Select(v => (v.ExpiryBookedAt!.Value - v.ExpiresAt!.Value).TotalMilliseconds).ToArray();
        var bookedBeforeRestart = views.Count(v => v.ExpiryBookedAt < restartedAt);
        await second.StopAsync();
        return new
        {
            benchmark = "membership_expiry_postgres",
            postgres = "throwaway PostgreSQL, fsync on, loopback; one silo in the same process, restarted mid-minute",
            machine = new { cores = Environment.ProcessorCount },
            memberships,
            creators = creators.Count,
            purchases_applied_seconds = Math.Round(boughtIn.TotalSeconds, 1),
            expiry_window = new { first = firstExpiry, last = firstExpiry + spacing * (memberships - 1) },
            restart = new { at = restartedAt, downtime_seconds = Math.Round(downtime.TotalSeconds, 1), expirations_counted_before = before.Expirations },
            counted = new { expirations = after.Expirations, active_left = after.Active, ever_joined = after.EverJoined },
            booked_by_reminder = lateness.Length,
            booked_before_restart = bookedBeforeRestart,
            never_booked = memberships - lateness.Length,
            still_active = views.Count(v => v.IsActive),
            tardiness = lateness.Length == 0 ? null : Measure.Summary(lateness),
        };
    }

    private static async Task<CreatorMemberCount> CountsAsync(IHost host, IReadOnlyList<string> creators)
    {
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        var counts = await Task.WhenAll(creators.Select(c => grains.GetGrain<ICreatorMembers>(c).GetAsync()));
        return new CreatorMemberCount(counts.Sum(c => c.Active), counts.Sum(c => c.EverJoined), counts.Sum(c => c.Expirations));
    }

    private static Task DelayUntilAsync(DateTimeOffset when)
    {
        var wait = when - DateTimeOffset.UtcNow;
        return wait > TimeSpan.Zero ? Task.Delay(wait) : Task.CompletedTask;
    }

    private static string Wallet(byte kind, int n)
    {
        var key = new byte[32];
        key[0] = kind;
        BitConverter.TryWriteBytes(key.AsSpan(1), n);
        return FanForge.Grains.Algorand.AlgorandAddress.FromPublicKey(key).ToString();
    }
}
