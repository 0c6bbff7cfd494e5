using FanForge.Grains.Algorand;
using FanForge.Grains.Algorand.Clients;
using FanForge.Grains.Algorand.Simulation;
using FanForge.Grains.Chain;
using FanForge.GrainInterfaces.Chain;
using FanForge.GrainInterfaces.Creators;
using FanForge.GrainInterfaces.Loyalty;
using FanForge.Silo;
using FanForge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace FanForge.Tests.Chain;

/// <summary>The simulated indexer, with one app id that always fails (an indexer outage scoped to one app).</summary>
internal sealed class PartlyFailingIndexer(IGrainFactory grains) : IIndexerClient
{
    public static ulong FailingAppId;

    private readonly SimulatedIndexerClient inner = new(grains);

    public Task<IndexerTransactionPage> SearchApplicationCallsAsync(ulong applicationId, ulong minRound, string? next, int limit, CancellationToken cancellationToken = default) =>
        applicationId == Volatile.Read(ref FailingAppId)
            ? throw new AlgorandNodeException(System.Net.HttpStatusCode.InternalServerError, "indexer answered 500", "boom")
            : inner.SearchApplicationCallsAsync(applicationId, minRound, next, limit, cancellationToken);

    public Task<IndexerTransactionPage> SearchRoundsAsync(ulong minRound, ulong maxRound, string? next, int limit, CancellationToken cancellationToken = default) =>
        inner.SearchRoundsAsync(minRound, maxRound, next, limit, cancellationToken);

    public Task<IndexerTransaction?> LookupTransactionAsync(string txid, CancellationToken cancellationToken = default) => inner.LookupTransactionAsync(txid, cancellationToken);

    public Task<ulong> GetHealthAsync(CancellationToken cancellationToken = default) => inner.GetHealthAsync(cancellationToken);
}

/// <summary>The watcher on its own cluster: a tiny page size forces paging, and one app's reads fail throughout.</summary>
public sealed class ChainWatcherTests : IAsyncLifetime
{
    private InProcessTestCluster cluster = null!;

    private IGrainFactory Grains => cluster.Client;

    public async Task InitializeAsync() => cluster = await TestClusters.StartAsync(
        1, new AlgorandSettings { WatcherPollInterval = TimeSpan.FromMilliseconds(100) }, services =>
        {
            services.Configure<ChainWatcherOptions>(o => (o.PageSize, o.MaxBackoff) = (2, TimeSpan.FromSeconds(1)));
            services.AddSingleton<IIndexerClient>(sp => new PartlyFailingIndexer(sp.GetRequiredService<IGrainFactory>()));
        });

    public async Task DisposeAsync() => await cluster.DisposeAsync();

    private async Task<TipProxyContract> RegisterAsync(TestWallet creator) =>
        (await Grains.GetGrain<ICreator>(creator.Address).RegisterAsync(new RegisterCreator(null, 500_000))).Contract!;

    private async Task TipAsync(TestWallet fan, TipProxyContract app, int n)
    {
        var ledger = Grains.GetGrain<ISimulatedLedger>("sim");
        var chain = await ledger.GetParamsAsync();
        await ledger.FundAsync(fan.Address, 10_000_000);
        var group = Tipping.TipGroup(fan, (app.AppId, AlgorandAddress.Parse(app.AppAddress)), 1_000_000, $"tip {n}", chain.LastRound);
        var result = await ledger.SubmitAsync([.. group.SelectMany(Convert.FromBase64String)]);
        Assert.True(result.IsAccepted, result.Message);
    }

    [Fact]
    public async Task One_apps_failing_reads_neither_hold_back_nor_skip_another_apps_tips_across_many_pages()
    {
        var (healthy, broken, fan) = (new TestWallet(171), new TestWallet(172), new TestWallet(173));
        var healthyApp = await RegisterAsync(healthy);
        var brokenApp = await RegisterAsync(broken);
        Volatile.Write(ref PartlyFailingIndexer.FailingAppId, brokenApp.AppId);
        await Grains.GetGrain<IChainWatcher>(IChainWatcher.Key).EnsureRunningAsync();

        for (var n = 0; n < 7; n++)
        {
            await TipAsync(fan, healthyApp, n);
            await TipAsync(fan, brokenApp, n);
        }

        // Seven tips at two per page: four pages for the healthy app, while the broken one keeps failing.
        var pair = await ClusterHosts.EventuallyAsync(
            () => Grains.GetGrain<IFanLoyalty>(FanLoyaltyKey.For(healthy.Address, fan.Address)).GetAsync(),
            p => p.ButkiTipCount == 7, TimeSpan.FromSeconds(15), "the healthy app's seven tips");
        Assert.Equal(1, pair.BadgesEarned);
        Assert.Equal(0, (await Grains.GetGrain<ICreatorTipLedger>(broken.Address).GetSummaryAsync()).PaymentCount);
        Assert.True((await Grains.GetGrain<IChainWatcher>(IChainWatcher.Key).GetStatusAsync()).ErrorsCount > 0);

        // The outage ends: the broken app's tips all arrive, none skipped, none doubled.
        Volatile.Write(ref PartlyFailingIndexer.FailingAppId, 0UL);
        await Grains.GetGrain<IChainWatcher>(IChainWatcher.Key).NudgeAsync();
        var recovered = await ClusterHosts.EventuallyAsync(
            () => Grains.GetGrain<ICreatorTipLedger>(broken.Address).GetSummaryAsync(),
            s => s.PaymentCount >= 7, TimeSpan.FromSeconds(60), "the broken app's tips after recovery");
        Assert.Equal(7, recovered.PaymentCount);
        Assert.Equal(7, (await Grains.GetGrain<IFanLoyalty>(FanLoyaltyKey.For(healthy.Address, fan.Address)).GetAsync()).ButkiTipCount);
    }
}
