using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using FanForge.Grains.Algorand;
using FanForge.Grains.Algorand.Clients;
using FanForge.Grains.Algorand.Simulation;
using FanForge.GrainInterfaces.Chain;
using FanForge.GrainInterfaces.Creators;
using FanForge.GrainInterfaces.Loyalty;
using FanForge.GrainInterfaces.Nfts;
using FanForge.Silo.Schema;
using FanForge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orleans.Configuration;

namespace FanForge.Tests.Postgres;

/// <summary>
/// The deployable cluster (PostgreSQL, two silo processes, the simulated ledger, a client submitting as
/// <c>/submit-group</c> does) under a steady tip load, with a fault mid-load: the silo that hosts the ledger killed
/// (SIGKILL), or PostgreSQL restarted.
/// </summary>
[Collection(PostgresCollection.Name), Trait("Category", "Postgres")]
public sealed class TipLoadFailoverTests(PostgresFixture fixture)
{
    private const int Creators = 3;
    private const int Fans = 12;
    private const int Workers = 4;
    private const ulong TipMicroAlgo = 1_000_000;
    private const int BadgeInterval = 5;

    [PostgresFact]
    public async Task Under_load_a_killed_silo_loses_no_acknowledged_tip_counts_none_twice_mints_each_badge_once_and_tips_flow_again_within_30s() =>
        await RunUnderLoadAsync(await fixture.CreateMigratedDatabaseAsync(), async (grains, ledger, silos) =>
        {
            var host = (await grains.GetGrain<IManagementGrain>(0).GetActivationAddress(ledger))?.Endpoint.Port;
            var victim = host == silos[0].Node.SiloPort ? silos[0] : silos[1];
            victim.KillHard();
            return victim == silos[0] ? [silos[1]] : [silos[0]];
        });

    [PostgresFact]
    public async Task Under_load_a_PostgreSQL_restart_loses_no_acknowledged_tip_counts_none_twice_mints_each_badge_once_and_tips_flow_again_within_30s()
    {
        // A server of its own: the restart ends every session on it, which must not reach other tests' databases.
        await using var server = await PostgresServer.StartAsync();
        var connectionString = await server.CreateDatabaseAsync();
        await using (var dataSource = NpgsqlDataSource.Create(connectionString))
        {
            await new SchemaMigrator(dataSource, NullLogger<SchemaMigrator>.Instance).MigrateAsync();
        }

        await RunUnderLoadAsync(connectionString, async (_, _, silos) =>
        {
            await server.RestartAsync();
            return silos; // both silos ride it out
        });
    }

    /// <summary>
    /// Two silo processes and a client under a steady tip load; <paramref name="fault"/> strikes once tips flow and
    /// returns the silos that must still be running at the end. Then: tips accepted again within 30 s, every landed
    /// tip counted once by its pair and its creator's journal, every owed badge minted once.
    /// </summary>
    private async Task RunUnderLoadAsync(
        string connectionString, Func<IGrainFactory, ISimulatedLedger, SiloProcess[], Task<SiloProcess[]>> fault)
    {
        var clusterId = $"{fixture.RunId}-tipload-{Guid.NewGuid().ToString("N")[..6]}";
        var settings = new Dictionary<string, string>(SiloProcess.SimulatedChain) { ["Algorand:Simulation:AutoFundMicroAlgo"] = "1000000000" };
        await using var first = SiloProcess.Start(ClusterNode.Create(connectionString, clusterId), settings, SiloProcess.SimulatedChainEnvironment);
        await using var second = SiloProcess.Start(ClusterNode.Create(connectionString, clusterId), settings, SiloProcess.SimulatedChainEnvironment);
        string Logs() => $"first:\n{first.LogTail()}\nsecond:\n{second.LogTail()}";
        await ClusterHosts.WaitForActiveSilosAsync(connectionString, clusterId, 2, Logs);

        // Calls to a grain on a killed silo fail once it is declared dead; the short timeout only bounds a call
        // that was in flight on a connection that died with it.
        var client = await ClusterHosts.StartClientAsync(
            ClusterNode.Create(connectionString, clusterId),
            services => services.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(10)));
        try
        {
            var grains = client.Grains();
            var ledger = grains.GetGrain<ISimulatedLedger>(ISimulatedLedger.Key);
            var creators = Enumerable.Range(0, Creators).Select(i => new TestWallet(Seed($"creator-{clusterId}", i))).ToArray();
            var fans = Enumerable.Range(0, Fans).Select(i => new TestWallet(Seed($"fan-{clusterId}", i))).ToArray();
            var contracts = new TipProxyContract[Creators];
            for (var i = 0; i < Creators; i++)
            {
                contracts[i] = (await grains.GetGrain<ICreator>(creators[i].Address).RegisterAsync(new RegisterCreator(null, 500_000))).Contract!;
            }

            var load = new Load(grains, ledger, [.. creators.Select((c, i) => (c.Address, contracts[i]))], fans);
            using var stop = new CancellationTokenSource();
            var workers = Enumerable.Range(0, Workers).Select(w => Task.Run(() => load.RunAsync(w, stop.Token))).ToArray();
            await ClusterHosts.EventuallyAsync(() => Task.FromResult(load.Acknowledged.Count), n => n >= 60, TimeSpan.FromSeconds(30), $"tips to flow.\n{Logs()}");

            var faultAt = Stopwatch.GetTimestamp();
            var acknowledgedAtFault = load.Acknowledged.Count;
            var survivors = await fault(grains, ledger, [first, second]);

            // Accepted again: a tip first sent after the fault is acknowledged.
            var flowing = await ClusterHosts.EventuallyAsync(
                () => Task.FromResult(load.FirstAcknowledgedSentAfter(faultAt)), at => at is not null, TimeSpan.FromSeconds(60), $"tips to be accepted after the fault.\n{Logs()}");
            var recovery = Stopwatch.GetElapsedTime(faultAt, flowing!.Value);
            Assert.True(recovery < TimeSpan.FromSeconds(30), $"tips were accepted again only {recovery.TotalSeconds:0.0}s after the fault");
            await ClusterHosts.EventuallyAsync(
                () => Task.FromResult(load.Acknowledged.Count), n => n >= acknowledgedAtFault + 30, TimeSpan.FromSeconds(30), "more tips after the recovery");
            stop.Cancel();
            await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(60));

            // The chain is the truth: which of the tips sent landed, acknowledged or not (an answer lost with the silo).
            var onChain = await TipsOnChainAsync(ledger, load.Sent.Keys.ToHashSet());
            Assert.Subset(onChain, load.Acknowledged.Keys.ToHashSet());
            var perPair = load.Sent.Where(s => onChain.Contains(s.Key)).GroupBy(s => s.Value).ToDictionary(g => g.Key, g => g.Count());
            var perCreator = perPair.GroupBy(p => p.Key.Creator).ToDictionary(g => g.Key, g => g.Sum(p => p.Value));

            // Every landed tip counted exactly once, by its pair and by its creator's journal.
            await ClusterHosts.EventuallyAsync(
                async () => await Task.WhenAll(perPair.Keys.Select(p => grains.GetGrain<IFanLoyalty>(FanLoyaltyKey.For(p.Creator, p.Fan)).GetAsync())),
                pairs => pairs.All(p => p.PaymentCount >= perPair[(p.Creator, p.Fan)] && p.BadgesMinted >= p.PaymentCount / BadgeInterval),
                TimeSpan.FromSeconds(60), $"every pair to count its tips and mint its badges.\n{Logs()}");
            foreach (var ((creator, fan), count) in perPair)
            {
                var pair = await grains.GetGrain<IFanLoyalty>(FanLoyaltyKey.For(creator, fan)).GetAsync();
                Assert.Equal((count, count / BadgeInterval, count / BadgeInterval), (pair.PaymentCount, pair.BadgesEarned, pair.BadgesMinted));
            }

            foreach (var (creator, count) in perCreator)
            {
                Assert.Equal(count, (await grains.GetGrain<ICreatorPayments>(creator).GetSummaryAsync()).PaymentCount);
            }

            // Every owed badge minted once: one record per badge number, and exactly that many asset creations on chain.
            var owed = perPair.Sum(p => p.Value / BadgeInterval);
            Assert.True(owed >= Creators, $"only {owed} badges owed: the load was too small to say anything");
            var assets = new HashSet<ulong>();
            string? minter = null;
            foreach (var ((creator, fan), count) in perPair)
            {
                for (var n = 1; n <= count / BadgeInterval; n++)
                {
                    var badge = await grains.GetGrain<INftMint>(MintRequest.Butki(creator, fan, n).Key).GetAsync();
                    Assert.True(badge is not null, $"badge {n} of {fan} for {creator} was not minted");
                    Assert.True(assets.Add(badge.AssetId), $"asset {badge.AssetId} recorded twice");
                    minter ??= (await ledger.LookupTransactionAsync(badge.TxId))?.Sender;
                }
            }

            // No fan opted in, so the platform still holds every badge it created: a second mint would be one more asset.
            var held = (await ledger.GetAccountAsync(minter!)).Assets;
            Assert.Equal(assets.Order(), held.Select(h => h.AssetId).Order());
            Assert.All(survivors, silo => Assert.False(silo.HasExited, Logs()));
        }
        finally
        {
            await client.StopAndDisposeAsync();
        }
    }

    /// <summary>Which of <paramref name="sent"/> (payment txids) are confirmed on the ledger.</summary>
    private static async Task<HashSet<string>> TipsOnChainAsync(ISimulatedLedger ledger, HashSet<string> sent) =>
        [.. (await AllTransactionsAsync(ledger)).Select(t => t.Id!).Where(sent.Contains)];

    private static async Task<List<IndexerTransaction>> AllTransactionsAsync(ISimulatedLedger ledger)
    {
        var last = (await ledger.GetStatusAsync()).LastRound;
        var all = new List<IndexerTransaction>();
        string? next = null;
        do
        {
            var page = await ledger.SearchRoundsAsync(0, last, next, SimulatedChain.MaxSearchLimit);
            all.AddRange(page.Transactions);
            next = page.Transactions.Count == 0 ? null : page.NextToken;
        }
        while (next is not null);
        return all;
    }

    private static byte[] Seed(string role, int i) => System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes($"{role}-{i}"));

    /// <summary>
    /// Workers sending the frontend's signed tip groups through <see cref="ISubmission"/>, as <c>/submit-group</c>
    /// does, each retrying the same signed group after any failure until it is acknowledged (or can no longer land).
    /// </summary>
    private sealed class Load(IGrainFactory grains, ISimulatedLedger ledger, (string Creator, TipProxyContract Contract)[] creators, TestWallet[] fans)
    {
        private int next;

        /// <summary>Every tip group sent: payment txid → (creator, fan).</summary>
        public ConcurrentDictionary<string, (string Creator, string Fan)> Sent { get; } = new();

        /// <summary>Acknowledged tips: payment txid → (first sent, acknowledged) timestamps.</summary>
        public ConcurrentDictionary<string, (long SentAt, long AcknowledgedAt)> Acknowledged { get; } = new();

        public long? FirstAcknowledgedSentAfter(long timestamp) =>
            Acknowledged.Values.Where(a => a.SentAt > timestamp).Select(a => (long?)a.AcknowledgedAt).Min();

        public async Task RunAsync(int worker, CancellationToken stop)
        {
            while (!stop.IsCancellationRequested)
            {
                var i = Interlocked.Increment(ref next);
                var fan = fans[i % fans.Length];
                // Fan i tips creator i % creators only, so every pair gets a steady share of the load.
                var (creator, contract) = creators[i % fans.Length % creators.Length];
                TransactionParams chain;
                try
                {
                    chain = await ledger.GetParamsAsync();
                }
                catch (Exception)
                {
                    await Task.Delay(200, CancellationToken.None);
                    continue;
                }

                var (body, payTxId, lastValid) = Build(fan, contract, chain, $"w{worker}-{i}");
                Sent[payTxId] = (creator, fan.Address);
                var sentAt = Stopwatch.GetTimestamp();
                while (true)
                {
                    try
                    {
                        await grains.GetGrain<ISubmission>("tx:" + payTxId).SubmitAsync(body);
                        Acknowledged[payTxId] = (sentAt, Stopwatch.GetTimestamp());
                        break;
                    }
                    catch (Exception)
                    {
                        // Any failure: the same signed group again, unless the chain has passed its validity window
                        // (then it can never land, and if it had landed the retry would have been acknowledged).
                        await Task.Delay(200, CancellationToken.None);
                        if (await PastAsync(lastValid))
                        {
                            break;
                        }
                    }
                }
            }
        }

        private async Task<bool> PastAsync(ulong lastValid)
        {
            try
            {
                return (await ledger.GetStatusAsync()).LastRound > lastValid;
            }
            catch (Exception)
            {
                return false;
            }
        }

        private static (byte[] Body, string PayTxId, ulong LastValid) Build(TestWallet fan, TipProxyContract contract, TransactionParams chain, string tag)
        {
            var sender = AlgorandAddress.Parse(fan.Address);
            var header = new Transaction
            {
                Type = TransactionType.Payment, Sender = sender, Fee = 1000, FirstValid = chain.LastRound, LastValid = chain.LastRound + SimulatedChain.MaxTxnLife,
                GenesisId = chain.GenesisId, GenesisHash = chain.GenesisHash, Note = Encoding.UTF8.GetBytes(tag),
            };
            var members = TransactionGroup.AssignGroup(
            [
                header with { Receiver = AlgorandAddress.Parse(contract.AppAddress), Amount = TipMicroAlgo },
                header with { Type = TransactionType.ApplicationCall, Fee = 3000, ApplicationId = contract.AppId, ApplicationArgs = [Encoding.UTF8.GetBytes("tip")] },
            ]);
            return ([.. members.SelectMany(m => SignedTransaction.Sign(m, fan.Signer).Encode())], members[0].TxId, header.LastValid);
        }
    }
}
