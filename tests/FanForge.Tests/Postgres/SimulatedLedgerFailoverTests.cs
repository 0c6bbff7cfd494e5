using FanForge.Grains.Algorand;
using FanForge.Grains.Algorand.Simulation;
using FanForge.Tests.Infrastructure;
using static FanForge.Tests.Algorand.Simulation.ChainHarness;

namespace FanForge.Tests.Postgres;

/// <summary>
/// The simulated ledger on the deployable cluster (PostgreSQL, silo processes): its chain is stored before a change
/// is acknowledged, so killing the silo that hosts it loses nothing and the chain goes on where it was.
/// </summary>
[Collection(PostgresCollection.Name), Trait("Category", "Postgres")]
public sealed class SimulatedLedgerFailoverTests(PostgresFixture fixture)
{
    [PostgresFact]
    public async Task The_ledger_reactivated_after_its_silo_is_killed_keeps_rounds_apps_balances_and_history_and_reuses_no_id()
    {
        var connectionString = await fixture.CreateMigratedDatabaseAsync();
        var clusterId = $"{fixture.RunId}-ledger-{Guid.NewGuid().ToString("N")[..6]}";
        await using var first = SiloProcess.Start(ClusterNode.Create(connectionString, clusterId), SiloProcess.SimulatedChain, SiloProcess.SimulatedChainEnvironment);
        await using var second = SiloProcess.Start(ClusterNode.Create(connectionString, clusterId), SiloProcess.SimulatedChain, SiloProcess.SimulatedChainEnvironment);
        string Logs() => $"first:\n{first.LogTail()}\nsecond:\n{second.LogTail()}";
        await ClusterHosts.WaitForActiveSilosAsync(connectionString, clusterId, 2, Logs);

        var client = await ClusterHosts.StartClientAsync(ClusterNode.Create(connectionString, clusterId));
        try
        {
            var ledger = client.Grains().GetGrain<ISimulatedLedger>(ISimulatedLedger.Key);
            var (creator, fan) = (NewSigner(), NewSigner());
            Assert.True((await ledger.FundAsync(creator.Address.ToString(), 10 * Algo)).IsAccepted);
            Assert.True((await ledger.FundAsync(fan.Address.ToString(), 50 * Algo)).IsAccepted);
            var apps = new List<ulong>();
            for (var i = 0; i < 2; i++)
            {
                var create = (await HeaderAsync(ledger, TransactionType.ApplicationCall, creator.Address)) with
                {
                    ApplicationArgs = [creator.Address.PublicKey, creator.Address.PublicKey, UInt64(Algo), UInt64(1)],
                    GlobalSchema = SimulatedChain.TipProxySchema,
                    Note = new[] { (byte)i },
                };
                var created = await ledger.SubmitAsync(Body((create, creator)));
                Assert.True(created.IsAccepted, created.Message);
                apps.Add((await ledger.GetPendingAsync(created.TxId!))!.ApplicationIndex!.Value);
            }

            for (var i = 0; i < 5; i++)
            {
                var (payment, call) = FrontendTip(fan.Address, apps[i % 2], Algo + (ulong)i, $"before {i}");
                var tipped = await ledger.SubmitAsync(Body((payment, fan), (call, fan)));
                Assert.True(tipped.IsAccepted, tipped.Message);
            }

            await ledger.AdvanceRoundsAsync(3);
            var before = await SnapshotAsync(ledger, [creator.Address, fan.Address, .. apps.Select(AlgorandAddress.ForApplication)], apps);
            Assert.Equal(14, before.History.Count);

            var management = client.Grains().GetGrain<IManagementGrain>(0);
            var host = (await management.GetActivationAddress(ledger))?.Endpoint.Port;
            var (victim, survivor) = host == first.Node.SiloPort ? (first, second) : (second, first);
            Assert.Equal(victim.Node.SiloPort, host);
            victim.KillHard();

            var status = await ClusterHosts.EventuallyAsync(
                () => ledger.GetStatusAsync(), _ => true, TimeSpan.FromSeconds(120), $"the ledger to reactivate.\n{Logs()}");
            Assert.Equal(survivor.Node.SiloPort, (await management.GetActivationAddress(ledger))?.Endpoint.Port);
            Assert.True(status.LastRound >= before.LastRound, $"round {status.LastRound} is below {before.LastRound}");
            var after = await SnapshotAsync(ledger, [creator.Address, fan.Address, .. apps.Select(AlgorandAddress.ForApplication)], apps);
            Assert.Equal(before.History, after.History);
            Assert.Equal(before.Accounts, after.Accounts);
            Assert.Equal(before.Apps, after.Apps);

            // The id counter survived: the next app is new, and a tip lands after everything that was there.
            var next = (await HeaderAsync(ledger, TransactionType.ApplicationCall, creator.Address)) with
            {
                ApplicationArgs = [creator.Address.PublicKey, creator.Address.PublicKey, UInt64(Algo), UInt64(1)],
                GlobalSchema = SimulatedChain.TipProxySchema,
                Note = new byte[] { 9 },
            };
            var nextCreated = await ledger.SubmitAsync(Body((next, creator)));
            Assert.True(nextCreated.IsAccepted, nextCreated.Message);
            Assert.Equal(apps.Max() + 1, (await ledger.GetPendingAsync(nextCreated.TxId!))!.ApplicationIndex);
            var (laterPayment, laterCall) = FrontendTip(fan.Address, apps[0], Algo, "after");
            var later = await ledger.SubmitAsync(Body((laterPayment, fan), (laterCall, fan)));
            Assert.True(later.IsAccepted, later.Message);
            Assert.True((await ledger.LookupTransactionAsync(later.TxId!))!.ConfirmedRound > before.History[^1].Round);
            Assert.False(survivor.HasExited, survivor.LogTail());
        }
        finally
        {
            await client.StopAndDisposeAsync();
        }
    }

    private static async Task<Transaction> HeaderAsync(ISimulatedLedger ledger, TransactionType type, AlgorandAddress sender)
    {
        var parameters = await ledger.GetParamsAsync();
        return new Transaction
        {
            Type = type,
            Sender = sender,
            Fee = parameters.MinFee,
            FirstValid = parameters.LastRound,
            LastValid = parameters.LastRound + 1000,
            GenesisId = parameters.GenesisId,
            GenesisHash = parameters.GenesisHash,
        };
    }

    private sealed record Snapshot(
        ulong LastRound, List<(string? Id, ulong? Round, ulong? Offset, DateTimeOffset? Time)> History, List<(ulong Amount, ulong MinBalance)> Accounts, List<(ulong Id, string Globals)> Apps);

    /// <summary>Everything a reader can see: the round, every confirmed transaction (as the chain follower reads them), balances, apps.</summary>
    private static async Task<Snapshot> SnapshotAsync(ISimulatedLedger ledger, AlgorandAddress[] accounts, List<ulong> apps)
    {
        var status = await ledger.GetStatusAsync();
        var history = (await ledger.SearchRoundsAsync(0, status.LastRound, null, SimulatedChain.MaxSearchLimit)).Transactions
            .Select(t => (t.Id, t.ConfirmedRound, t.IntraRoundOffset, t.RoundTime)).ToList();
        var balances = new List<(ulong, ulong)>();
        foreach (var account in accounts)
        {
            var info = await ledger.GetAccountAsync(account.ToString());
            balances.Add((info.Amount, info.MinBalance));
        }

        var appStates = new List<(ulong, string)>();
        foreach (var app in apps)
        {
            var info = await ledger.GetApplicationAsync(app) ?? throw new Xunit.Sdk.XunitException($"app {app} is gone");
            appStates.Add((info.Id, string.Join(",", info.GlobalState.Select(g => $"{Convert.ToBase64String(g.Key)}={g.Value.Uint}/{Convert.ToBase64String(g.Value.Bytes)}"))));
        }

        return new Snapshot(status.LastRound, history, balances, appStates);
    }
}
