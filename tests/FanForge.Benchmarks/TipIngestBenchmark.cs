using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using FanForge.Grains.Algorand;
using FanForge.Grains.Algorand.Simulation;
using FanForge.GrainInterfaces.Creators;
using FanForge.GrainInterfaces.Live;
using FanForge.GrainInterfaces.Loyalty;
using FanForge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace FanForge.Benchmarks;

/// <summary>
/// Tip ingestion on a throwaway, durable PostgreSQL (fsync on), with the same server's pgbench single-row upsert rate
/// as the yardstick; chain-confirm → loyalty-visible latency at a fixed offered rate through the simulated ledger and
/// the chain watcher; and a pair's write cost with 10 versus 10,000 prior tips.
/// </summary>
internal static class TipIngestBenchmark
{
    private const int Parallelism = 16;

    public static async Task<object> RunAsync(int distinctPairs, int ratePerSecond, int seconds)
    {
        await using var server = await PostgresServer.StartAsync(durable: true);
        var connectionString = await server.CreateDatabaseAsync();
        // Staging: the simulated ledger (which Production refuses) stands in for the chain; storage is the real thing.
        using var host = await BenchmarkSilo.StartAsync(connectionString, "Staging", new Dictionary<string, string?>
        {
            ["Algorand:Mode"] = "Simulated",
            ["Algorand:Simulation:AutoFundMicroAlgo"] = "1000000000",
            ["Algorand:WatcherPollInterval"] = "00:00:01",
        });
        var grains = host.Services.GetRequiredService<IGrainFactory>();

        var ingest = await IngestDistinctPairsAsync(grains, distinctPairs);
        var upsert = await PgbenchUpsertAsync(server, connectionString, Parallelism, TimeSpan.FromSeconds(15));
        var upsertOneClient = await PgbenchUpsertAsync(server, connectionString, 1, TimeSpan.FromSeconds(10));
        var history = await WriteCostVersusHistoryAsync(grains, connectionString);
        var latency = await ConfirmToVisibleAsync(grains, ratePerSecond, seconds);

        await host.StopAsync();
        return new
        {
            benchmark = "tip_ingestion_postgres",
            postgres = "throwaway PostgreSQL 15, fsync on, loopback; one silo in the same process",
            machine = new { cores = Environment.ProcessorCount },
            ingestion = ingest,
            pgbench_single_row_upsert = new[] { upsert, upsertOneClient },
            ingest_to_upsert_ratio = Math.Round(ingest.TipsPerSecond / upsert.Tps, 3),
            ingest_to_one_client_upsert_ratio = Math.Round(ingest.TipsPerSecond / upsertOneClient.Tps, 3),
            pair_write_cost_vs_history = history,
            confirm_to_visible = latency,
        };
    }

    private sealed record IngestResult(int Tips, int Creators, int Parallelism, double Seconds, double TipsPerSecond);

    /// <summary>Every tip from a different fan–creator pair, delivered per creator in batches as the watcher does.</summary>
    private static async Task<IngestResult> IngestDistinctPairsAsync(IGrainFactory grains, int tips)
    {
        const int fansPerCreator = 100;
        var creators = Math.Max(1, tips / fansPerCreator);
        var at = DateTimeOffset.UnixEpoch;
        List<ChainTip> Batch(string prefix, int creator) =>
        [
            .. Enumerable.Range(0, fansPerCreator).Select(f => new ChainTip(
                $"{prefix}-fan-{creator}-{f}", $"{prefix}-creator-{creator}", 1_000_000, "", new ChainPosition(1000, (ulong)f), $"{prefix}-{creator}-{f}", at)),
        ];

        // Warm-up: JIT, connection pool, the global leaderboard's activation.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(c => grains.GetGrain<ICreatorPayments>($"warm-creator-{c}").ApplyAsync(Batch("warm", c))));

        var batches = Enumerable.Range(0, creators).Select(c => Batch("bench", c)).ToList();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (batch, _) =>
            await grains.GetGrain<ICreatorPayments>(batch[0].Creator).ApplyAsync(batch));
        var elapsed = clock.Elapsed.TotalSeconds;
        var total = creators * fansPerCreator;
        return new IngestResult(total, creators, Parallelism, Math.Round(elapsed, 2), Math.Round(total / elapsed, 1));
    }

    private sealed record UpsertResult(string Script, int Clients, int Seconds, double Tps);

    private static async Task<UpsertResult> PgbenchUpsertAsync(PostgresServer server, string connectionString, int clients, TimeSpan duration)
    {
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE TABLE IF NOT EXISTS bench_upsert (k bigint PRIMARY KEY, v bigint NOT NULL)", connection);
            await create.ExecuteNonQueryAsync();
        }

        const string script = "\\set k random(1, 1000000)\nINSERT INTO bench_upsert (k, v) VALUES (:k, 1) ON CONFLICT (k) DO UPDATE SET v = bench_upsert.v + 1;\n";
        var scriptPath = Path.Combine(Path.GetTempPath(), "fanforge-upsert-" + Guid.NewGuid().ToString("N")[..8] + ".sql");
        await File.WriteAllTextAsync(scriptPath, script);
        try
        {
            var pgbench = Path.Combine(PostgresServer.FindBinDirectory()!, "pgbench");
            var start = new ProcessStartInfo(pgbench)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                ArgumentList =
                {
                    "-n", "-c", clients.ToString(CultureInfo.InvariantCulture), "-j", "2", "-T", ((int)duration.TotalSeconds).ToString(CultureInfo.InvariantCulture),
                    "-f", scriptPath, "-h", "127.0.0.1", "-p", server.Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres", database,
                },
            };
            using var process = Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync();
            var errors = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            var tpsLine = output.Split('\n').FirstOrDefault(l => l.StartsWith("tps = ", StringComparison.Ordinal))
                ?? throw new InvalidOperationException($"pgbench printed no tps: {output} {errors}");
            var tps = double.Parse(tpsLine["tps = ".Length..].Split(' ')[0], CultureInfo.InvariantCulture);
            return new UpsertResult(script.Replace("\n", " ", StringComparison.Ordinal).Trim(), clients, (int)duration.TotalSeconds, Math.Round(tps, 1));
        }
        finally
        {
            File.Delete(scriptPath);
        }
    }

    /// <summary>The pair keeps a high-water mark, not its tips: one more tip costs the same after 10 or 10,000.</summary>
    private static async Task<object> WriteCostVersusHistoryAsync(IGrainFactory grains, string connectionString)
    {
        const int measured = 500;
        async Task<object> MeasureAfter(int prior)
        {
            var pair = grains.GetGrain<IFanLoyalty>(FanLoyaltyKey.For("history-creator", $"history-fan-{prior}"));
            for (var done = 0; done < prior; done += 1000)
            {
                await pair.ApplyAsync([.. Enumerable.Range(done, Math.Min(1000, prior - done)).Select(i => HistoryTip(prior, i))]);
            }

            var latencies = await Measure.TimeEachAsync(measured, i => pair.ApplyAsync([HistoryTip(prior, prior + i)]));
            return new { prior_tips = prior, one_more_tip = Measure.Summary(latencies) };
        }

        var small = await MeasureAfter(10);
        var large = await MeasureAfter(10_000);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var sizes = new NpgsqlCommand(
            "SELECT min(length(payloadbinary)), max(length(payloadbinary)) FROM orleansstorage WHERE graintypestring = 'fan-loyalty'", connection);
        await using var reader = await sizes.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new { after_10 = small, after_10000 = large, stored_pair_state_bytes = new { min = reader.GetInt32(0), max = reader.GetInt32(1) } };
    }

    private static ChainTip HistoryTip(int pair, int i) =>
        new($"history-fan-{pair}", "history-creator", 1_000_000, "", new ChainPosition(10_000 + (ulong)i, 0), $"history-{pair}-{i}", DateTimeOffset.UnixEpoch);

    /// <summary>Receives the live feed in this process: a tip event is published once the tip is counted.</summary>
    private sealed class Arrivals : ILiveFeedObserver
    {
        public ConcurrentDictionary<string, long> At { get; } = new();

        public Task OnEventsAsync(IReadOnlyList<LiveEvent> events)
        {
            var now = Stopwatch.GetTimestamp();
            foreach (var e in events)
            {
                At.TryAdd(e.Id, now);
            }

            return Task.CompletedTask;
        }
    }

    /// <summary>
    /// Signed tip groups (the frontend's shape) offered to the simulated ledger at a fixed rate. Confirmation is the
    /// moment the ledger accepts a group; visibility is the moment its tip event arrives, which is published after
    /// the pair and the creator ledger have written it. The watcher finds new rounds by polling (interval above).
    /// </summary>
    private static async Task<object> ConfirmToVisibleAsync(IGrainFactory grains, int rate, int seconds)
    {
        const int creatorCount = 10;
        const int fanCount = 200;
        var creatorWallets = Enumerable.Range(0, creatorCount).Select(i => new TestWallet(Seed("creator", i))).ToArray();
        var contracts = await Task.WhenAll(creatorWallets.Select(c => grains.GetGrain<ICreator>(c.Address).RegisterAsync(new RegisterCreator(null, 500_000))));
        var fans = Enumerable.Range(0, fanCount).Select(i => new TestWallet(Seed("fan", i))).ToArray();
        var ledger = grains.GetGrain<ISimulatedLedger>("sim");
        var chain = await ledger.GetParamsAsync();

        var total = rate * seconds;
        var groups = new (byte[] Body, string AppCallTxId)[total];
        Parallel.For(0, total, i =>
        {
            var contract = contracts[i % creatorCount].Contract!;
            var fan = fans[i % fanCount];
            var sender = AlgorandAddress.Parse(fan.Address);
            // Staggered like wallets building over time: the simulated chain advances a round on every read (the
            // watcher reads many times a second), so params from a single moment would expire within the run.
            var firstValid = chain.LastRound + (ulong)i;
            var header = new Transaction
            {
                Type = TransactionType.Payment, Sender = sender, Fee = 1000, FirstValid = firstValid, LastValid = firstValid + 1000,
                GenesisId = chain.GenesisId, GenesisHash = chain.GenesisHash, Note = Encoding.UTF8.GetBytes($"bench-{i}"),
            };
            var members = TransactionGroup.AssignGroup(
            [
                header with { Receiver = AlgorandAddress.Parse(contract.AppAddress), Amount = 1_000_000 },
                header with { Type = TransactionType.ApplicationCall, Fee = 3000, ApplicationId = contract.AppId, ApplicationArgs = [Encoding.UTF8.GetBytes("tip")] },
            ]);
            groups[i] = ([.. members.SelectMany(m => SignedTransaction.Sign(m, fan.Signer).Encode())], members[1].TxId);
        });

        var arrivals = new Arrivals();
        var hub = grains.GetGrain<ILiveFeedHub>(ILiveFeedHub.Key);
        var reference = grains.CreateObjectReference<ILiveFeedObserver>(arrivals);
        await hub.SubscribeAsync(reference);

        var confirmed = new long[total];
        var rejected = 0;
        var start = Stopwatch.GetTimestamp();
        var sends = new List<Task>(total);
        for (var i = 0; i < total; i++)
        {
            var due = start + (long)(i * (double)Stopwatch.Frequency / rate);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }

            var index = i;
            sends.Add(Task.Run(async () =>
            {
                var result = await ledger.SubmitAsync(groups[index].Body);
                confirmed[index] = Stopwatch.GetTimestamp();
                if (!result.IsAccepted)
                {
                    Interlocked.Increment(ref rejected);
                }
            }));
        }

        await Task.WhenAll(sends);
        var offeredSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 30;
        while (arrivals.At.Count < total - rejected && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(100);
        }

        await hub.UnsubscribeAsync(reference);
        var counted = (await Task.WhenAll(creatorWallets.Select(c => grains.GetGrain<ICreatorPayments>(c.Address).GetSummaryAsync()))).Sum(s => s.PaymentCount);
        var latencies = Enumerable.Range(0, total)
            .Where(i => arrivals.At.ContainsKey("tip:" + groups[i].AppCallTxId))
            .Select(i => Stopwatch.GetElapsedTime(confirmed[i], arrivals.At["tip:" + groups[i].AppCallTxId]).TotalMilliseconds)
            .ToArray();
        return new
        {
            offered_tips_per_second = rate,
            achieved_tips_per_second = Math.Round(total / offeredSeconds, 1),
            tips = total,
            rejected,
            visible = latencies.Length,
            counted_by_creator_ledgers = counted,
            watcher_poll_interval_ms = 1000,
            latency = Measure.Summary(latencies),
        };
    }

    private static byte[] Seed(string role, int i) => System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes($"bench-{role}-{i}"));
}
