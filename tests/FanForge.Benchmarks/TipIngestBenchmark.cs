using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using FanForge.Grains.Algorand;
using FanForge.Grains.Algorand.Clients;
using FanForge.Grains.Algorand.Simulation;
using FanForge.GrainInterfaces.Chain;
using FanForge.GrainInterfaces.Creators;
using FanForge.GrainInterfaces.Live;
using FanForge.GrainInterfaces.Loyalty;
using FanForge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace FanForge.Benchmarks;

/// <summary>
/// Tip ingestion on a throwaway, durable PostgreSQL (fsync on), with the same server's pgbench single-row upsert rate
/// as the yardstick; chain-confirm → loyalty-visible latency at a fixed offered rate through the simulated ledger, the
/// chain follower and the creator journals; the follower's chain requests per round with 10 and with 1,000 registered
/// creators; and a pair's write cost with 10 versus 10,000 prior tips.
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
            // This measures our pipeline, not the simulator: its durable log would serialize every tip behind a write.
            ["Algorand:Simulation:Durable"] = "false",
            ["Algorand:Simulation:AutoFundMicroAlgo"] = "1000000000",
            ["Algorand:WatcherPollInterval"] = "00:00:00.050",
        });
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        using var commands = new DatabaseCommands();

        if (distinctPairs == 0)
        {
            // The live pipeline alone, for profiling it: no ingestion, pgbench or history phases.
            var quick = await LiveAsync(grains, ratePerSecond, seconds, registerMore: false);
            await host.StopAsync();
            return new { benchmark = "tip_confirm_to_visible_postgres", confirm_to_visible = quick.Latency };
        }

        var ingest = await IngestDistinctPairsAsync(grains, commands, distinctPairs);
        var upsert = await Pgbench.UpsertAsync(server, connectionString, Parallelism, TimeSpan.FromSeconds(15));
        if (ratePerSecond == 0)
        {
            // Ingestion against its yardstick alone, for profiling it: no history or live phases.
            await host.StopAsync();
            return new
            {
                benchmark = "tip_ingestion_postgres",
                ingestion = ingest,
                pgbench_single_row_upsert = upsert,
                ingest_to_upsert_ratio = Math.Round(ingest.TipsPerSecond / upsert.Tps, 3),
            };
        }

        var upsertOneClient = await Pgbench.UpsertAsync(server, connectionString, 1, TimeSpan.FromSeconds(10));
        var history = await WriteCostVersusHistoryAsync(grains, connectionString);

        var live = await LiveAsync(grains, ratePerSecond, seconds, registerMore: true);
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
            confirm_to_visible = live.Latency,
            chain_requests_per_round = new
            {
                registered_10 = live.Requests10.PerRound,
                registered_1000 = live.Requests1000?.PerRound,
                runs = new[] { live.Requests10.Run, live.Requests1000?.Run },
            },
        };
    }

    /// <summary>
    /// The live pipeline: 10 creators and 200 fans (20 pairs per creator, a Butki badge per pair every 5 tips): chain
    /// requests per round with those 10 registered and with 1,000, then confirm → visible at the offered rate (with
    /// 1,000 registered, 10 of them tipped).
    /// </summary>
    private static async Task<(object Latency, (double PerRound, object Run) Requests10, (double PerRound, object Run)? Requests1000)> LiveAsync(
        IGrainFactory grains, int ratePerSecond, int seconds, bool registerMore)
    {
        const int active = 10;
        var creators = Enumerable.Range(0, active).Select(i => new TestWallet(Seed("creator", i))).ToArray();
        var fans = Enumerable.Range(0, 200).Select(i => new TestWallet(Seed("fan", i))).ToArray();
        var load = new TipLoad(grains, await RegisterAsync(grains, 0, active), fans);
        await grains.GetGrain<IChainFollower>(IChainFollower.Key).EnsureRunningAsync();
        // A steady trickle (20 tips/s), so each step reads about one new round and the two figures compare like with
        // like; both before the 1,000 tips/s run, whose badge mints keep the chain busy for a while after it.
        var requests10 = await RequestsPerRoundAsync(grains, load, active, 20, 10);
        (double PerRound, object Run)? requests1000 = null;
        if (registerMore)
        {
            await RegisterAsync(grains, active, 1000 - active);
            requests1000 = await RequestsPerRoundAsync(grains, load, 1000, 20, 10);
        }

        var latency = await ConfirmToVisibleAsync(grains, load, creators, fans, ratePerSecond, seconds);
        return (latency, requests10, requests1000);
    }

    private sealed record IngestResult(
        int Tips, int Creators, int Parallelism, double Seconds, double TipsPerSecond, double DatabaseRoundTripsPerTip, double AllocatedKbPerTip, double GcPauseShare);

    /// <summary>Every tip from a different fan–creator pair, journaled per creator in batches as the follower does, timed until delivered.</summary>
    private static async Task<IngestResult> IngestDistinctPairsAsync(IGrainFactory grains, DatabaseCommands commands, int tips)
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
        var commandsBefore = commands.Total;
        var allocatedBefore = GC.GetTotalAllocatedBytes();
        var gcPauseBefore = GC.GetTotalPauseDuration();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (batch, _) =>
            await grains.GetGrain<ICreatorPayments>(batch[0].Creator).ApplyAsync(batch));
        var elapsed = clock.Elapsed.TotalSeconds;
        var total = creators * fansPerCreator;
        var roundTrips = Math.Round((double)(commands.Total - commandsBefore) / total, 3);
        // The whole process (this silo, its clients and the benchmark's own calls): garbage is what the profile showed
        // the ingestion to be bound by, so it is reported beside the rate.
        var allocatedKbPerTip = Math.Round((GC.GetTotalAllocatedBytes() - allocatedBefore) / 1024.0 / total, 1);
        var gcPauseShare = Math.Round((GC.GetTotalPauseDuration() - gcPauseBefore).TotalSeconds / elapsed, 3);
        return new IngestResult(total, creators, Parallelism, Math.Round(elapsed, 2), Math.Round(total / elapsed, 1), roundTrips, allocatedKbPerTip, gcPauseShare);
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
                await pair.ApplyAsync([.. Enumerable.Range(done, Math.Min(1000, prior - done)).Select(i => new PricedTip(HistoryTip(prior, i), true))]);
            }

            var latencies = await Measure.TimeEachAsync(measured, i => pair.ApplyAsync([new PricedTip(HistoryTip(prior, prior + i), true)]));
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
        private long received;

        public ConcurrentDictionary<string, long> At { get; } = new();

        /// <summary>Tip events received, repeats included (a repeat would be a tip shown twice).</summary>
        public long Received => Interlocked.Read(ref received);

        public Task OnEventsAsync(IReadOnlyList<LiveEvent> events)
        {
            var now = Stopwatch.GetTimestamp();
            foreach (var e in events.Where(e => e.Type == "tip"))
            {
                Interlocked.Increment(ref received);
                At.TryAdd(e.Id, now);
            }

            return Task.CompletedTask;
        }
    }

    /// <summary>The frontend's signed tip groups, fan i % fans to creator i % creators; the payment's txid names the tip.</summary>
    private sealed class TipLoad(IGrainFactory grains, TipProxyContract[] contracts, TestWallet[] fans)
    {
        private readonly ISimulatedLedger ledger = grains.GetGrain<ISimulatedLedger>(ISimulatedLedger.Key);

        public async Task<(byte[] Body, string PayTxId)[]> BuildAsync(int count, string tag)
        {
            var chain = await ledger.GetParamsAsync();
            var groups = new (byte[] Body, string PayTxId)[count];
            // Staggered like wallets building over time: the simulated chain advances a round on every read (the
            // follower reads many times a second), so params from a single moment would expire within the run.
            Parallel.For(0, count, i => groups[i] = Build(i, tag, chain, chain.LastRound + (ulong)i));
            return groups;
        }

        /// <summary>One group built from the chain's params of the moment, for a slow load that the chain would outpace.</summary>
        public async Task<(byte[] Body, string PayTxId)> BuildNowAsync(int i, string tag)
        {
            var chain = await ledger.GetParamsAsync();
            return Build(i, tag, chain, chain.LastRound);
        }

        private (byte[] Body, string PayTxId) Build(int i, string tag, TransactionParams chain, ulong firstValid)
        {
            var contract = contracts[i % contracts.Length];
            var fan = fans[i % fans.Length];
            var sender = AlgorandAddress.Parse(fan.Address);
            var header = new Transaction
            {
                Type = TransactionType.Payment, Sender = sender, Fee = 1000, FirstValid = firstValid, LastValid = firstValid + 1000,
                GenesisId = chain.GenesisId, GenesisHash = chain.GenesisHash, Note = Encoding.UTF8.GetBytes($"{tag}-{i}"),
            };
            var members = TransactionGroup.AssignGroup(
            [
                header with { Receiver = AlgorandAddress.Parse(contract.AppAddress), Amount = 1_000_000 },
                header with { Type = TransactionType.ApplicationCall, Fee = 3000, ApplicationId = contract.AppId, ApplicationArgs = [Encoding.UTF8.GetBytes("tip")] },
            ]);
            return ([.. members.SelectMany(m => SignedTransaction.Sign(m, fan.Signer).Encode())], members[0].TxId);
        }

        /// <summary>Offers the groups at <paramref name="rate"/> per second; returns when each was confirmed and how many were refused.</summary>
        public async Task<(long[] Confirmed, int Rejected, double Seconds)> OfferAsync((byte[] Body, string PayTxId)[] groups, int rate) =>
            await OfferAsync(groups.Length, rate, i => Task.FromResult(groups[i]));

        /// <summary>Offers <paramref name="count"/> groups at <paramref name="rate"/> per second, each made by <paramref name="group"/> when due.</summary>
        public async Task<(long[] Confirmed, int Rejected, double Seconds)> OfferAsync(int count, int rate, Func<int, Task<(byte[] Body, string PayTxId)>> group)
        {
            var confirmed = new long[count];
            var rejected = 0;
            var start = Stopwatch.GetTimestamp();
            var sends = new List<Task>(count);
            for (var i = 0; i < count; i++)
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
                    var result = await ledger.SubmitAsync((await group(index)).Body);
                    confirmed[index] = Stopwatch.GetTimestamp();
                    if (!result.IsAccepted)
                    {
                        Interlocked.Increment(ref rejected);
                    }
                }));
            }

            await Task.WhenAll(sends);
            return (confirmed, rejected, Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
    }

    private static async Task<TipProxyContract[]> RegisterAsync(IGrainFactory grains, int from, int count)
    {
        var contracts = new TipProxyContract[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
            contracts[i] = (await grains.GetGrain<ICreator>(new TestWallet(Seed("creator", from + i)).Address).RegisterAsync(new RegisterCreator(null, 500_000))).Contract!);
        return contracts;
    }

    /// <summary>
    /// Signed tip groups (the frontend's shape) offered to the simulated ledger at a fixed rate. Confirmation is the
    /// moment the ledger accepts a group; visibility is the moment its tip event arrives, which is published after the
    /// creator's journal and the pair have written it. After the offer ends, the run waits until every tip is visible
    /// (the drain) and checks each was counted exactly once, by the pairs and by the journals.
    /// </summary>
    private static async Task<object> ConfirmToVisibleAsync(IGrainFactory grains, TipLoad load, TestWallet[] creators, TestWallet[] fans, int rate, int seconds)
    {
        var total = rate * seconds;
        var groups = await load.BuildAsync(total, "visible");
        var countedBefore = await CountedAsync(grains, creators, fans);
        var arrivals = new Arrivals();
        var hub = grains.GetGrain<ILiveFeedHub>(ILiveFeedHub.Key);
        var reference = grains.CreateObjectReference<ILiveFeedObserver>(arrivals);
        await hub.SubscribeAsync(reference);

        var (confirmed, rejected, offeredSeconds) = await load.OfferAsync(groups, rate);
        var offerEnded = Stopwatch.GetTimestamp();
        var deadline = offerEnded + Stopwatch.Frequency * 120;
        while (arrivals.At.Count < total - rejected && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(20);
        }

        var drained = Stopwatch.GetElapsedTime(offerEnded).TotalSeconds;
        await Task.Delay(2000); // late repeats, if any, would arrive now
        await hub.UnsubscribeAsync(reference);
        var countedAfter = await CountedAsync(grains, creators, fans);
        var latencies = Enumerable.Range(0, total)
            .Where(i => arrivals.At.ContainsKey("tip:" + groups[i].PayTxId))
            .Select(i => Stopwatch.GetElapsedTime(confirmed[i], arrivals.At["tip:" + groups[i].PayTxId]).TotalMilliseconds)
            .ToArray();
        return new
        {
            offered_tips_per_second = rate,
            offered_seconds = seconds,
            achieved_tips_per_second = Math.Round(total / offeredSeconds, 1),
            tips = total,
            rejected,
            visible = latencies.Length,
            tip_events_received = arrivals.Received,
            counted_by_pairs = countedAfter.Pairs - countedBefore.Pairs,
            counted_by_creator_journals = countedAfter.Journals - countedBefore.Journals,
            drain_seconds_after_offer = Math.Round(drained, 2),
            latency = Measure.Summary(latencies),
        };
    }

    private static async Task<(long Pairs, long Journals)> CountedAsync(IGrainFactory grains, TestWallet[] creators, TestWallet[] fans)
    {
        var journals = await Task.WhenAll(creators.Select(c => grains.GetGrain<ICreatorPayments>(c.Address).GetSummaryAsync()));
        // Fan i tips creator i % creators only, so these are all the pairs of the load.
        var pairs = await Task.WhenAll(fans.Select((f, i) => grains.GetGrain<IFanLoyalty>(FanLoyaltyKey.For(creators[i % creators.Length].Address, f.Address)).GetAsync()));
        return (pairs.Sum(p => (long)p.PaymentCount), journals.Sum(s => (long)s.PaymentCount));
    }

    /// <summary>The follower's chain requests per round read while a steady load runs: the follower's own counters, before and after.</summary>
    private static async Task<(double PerRound, object Run)> RequestsPerRoundAsync(IGrainFactory grains, TipLoad load, int registered, int rate, int seconds)
    {
        var follower = grains.GetGrain<IChainFollower>(IChainFollower.Key);
        // Registration costs the follower a check (and a look back) per new app: let that finish outside the window.
        while ((await follower.GetStatusAsync()).Apps < registered)
        {
            await Task.Delay(100);
        }

        await Task.Delay(2000);
        var before = await follower.GetStatusAsync();
        // Each group is built as it is sent, from the chain's round of the moment: minting traffic moves the simulated
        // chain faster than a slow load would move a precomputed validity window.
        var count = rate * seconds;
        var (_, rejected, _) = await load.OfferAsync(count, rate, i => load.BuildNowAsync(i, $"requests-{registered}"));
        if (rejected > 0)
        {
            throw new InvalidOperationException($"{rejected} of {count} tips were refused by the ledger: the measurement would not be a steady load.");
        }

        await Task.Delay(1000);
        var after = await follower.GetStatusAsync();
        var (requests, rounds) = (after.ChainRequests - before.ChainRequests, after.RoundsRead - before.RoundsRead);
        var perRound = rounds == 0 ? 0 : Math.Round((double)requests / rounds, 3);
        return (perRound, new
        {
            registered_apps = after.Apps,
            tips = count - rejected,
            chain_requests = requests,
            rounds_read = rounds,
            requests_per_round = perRound,
        });
    }

    private static byte[] Seed(string role, int i) => System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes($"bench-{role}-{i}"));
}
