using FanForge.Grains.Algorand.Clients;
using FanForge.Grains.Algorand.Simulation;
using FanForge.Grains.Nfts;
using FanForge.GrainInterfaces.Loyalty;
using FanForge.GrainInterfaces.Nfts;
using FanForge.Silo;
using FanForge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace FanForge.Tests.Nfts;

/// <summary>
/// Failed mints on a cluster whose node fails the first asset creations and whose clock only the test moves: the
/// backoff between attempts, the retry when it ends, and the cluster-wide counts in <see cref="IMintHealth"/>.
/// </summary>
public sealed class MintRetryTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly MintRetryOptions retry = new() { FirstDelay = TimeSpan.FromSeconds(10), MaxDelay = TimeSpan.FromSeconds(40) };
    private InProcessTestCluster cluster = null!;
    private MintOutageAlgodClient node = null!;

    private IGrainFactory Grains => cluster.Client;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => cluster.DisposeAsync(time);

    private async Task StartClusterAsync(int failingCreations) => cluster = await TestClusters.StartAsync(1, new AlgorandSettings(), services =>
    {
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton<IAlgodClient>(sp => node = new MintOutageAlgodClient(sp.GetRequiredService<IGrainFactory>(), failingCreations));
        services.Configure<MintRetryOptions>(o => (o.FirstDelay, o.MaxDelay) = (retry.FirstDelay, retry.MaxDelay));
    });

    private Task<MintHealthView> HealthWhenAsync(Func<MintHealthView, bool> done, string what) =>
        ClusterHosts.EventuallyAsync(() => Grains.GetGrain<IMintHealth>(IMintHealth.Key).GetAsync(), done, Wait, what);

    private Task CreationsWhenAsync(int count) =>
        ClusterHosts.EventuallyAsync(() => Task.FromResult(node.Creations), n => n == count, Wait, $"{count} mint attempts at the node");

    /// <summary>An ask, then a read queued behind it on the same grain, so the ask has been handled when this returns.</summary>
    private static async Task<NftRecord?> AskAsync(INftMint mint, MintRequest request)
    {
        await mint.StartAsync(request);
        return await mint.GetAsync();
    }

    [Fact]
    public async Task A_failed_badge_mint_waits_out_its_backoff_then_lands_once_without_being_asked_again()
    {
        await StartClusterAsync(failingCreations: 1);
        var (creator, fan) = (new TestWallet(171).Address, new TestWallet(172).Address);
        var tips = Enumerable.Range(1, 5)
            .Select(r => new ChainTip(fan, creator, 1_000_000, "", new ChainPosition((ulong)r, 0), $"RETRY{r}", time.GetUtcNow()))
            .ToArray();
        var request = MintRequest.Butki(creator, fan, 1);
        var mint = Grains.GetGrain<INftMint>(request.Key);

        await Grains.GetGrain<ICreatorPayments>(creator).ApplyAsync(tips); // the pair asks for the badge
        await CreationsWhenAsync(1);
        await HealthWhenAsync(h => h.FailedAttempts == 1, "the failed attempt to be counted");

        time.Advance(retry.FirstDelay * 0.7); // short of the earliest retry (the spread takes at most a fifth off)
        Assert.Null(await AskAsync(mint, request));
        Assert.Null(await AskAsync(mint, request));
        Assert.Equal(1, node.Creations);

        time.Advance(retry.FirstDelay * 0.3); // the backoff is over: the armed retry runs with nobody asking
        var pair = await ClusterHosts.EventuallyAsync(
            () => Grains.GetGrain<IFanLoyalty>(FanLoyaltyKey.For(creator, fan)).GetAsync(), p => p.BadgesMinted == 1, Wait, "the badge to land");

        var minted = (await mint.GetAsync())!;
        Assert.Equal((long)minted.AssetId, pair.LastBadgeAssetId);
        var ledger = Grains.GetGrain<ISimulatedLedger>(ISimulatedLedger.Key);
        Assert.NotNull(await ledger.GetAssetAsync(minted.AssetId));
        Assert.Null(await ledger.GetAssetAsync(minted.AssetId + 1)); // the lost answer's resend did not mint a second ASA
        Assert.Equal(2, node.Creations);
        Assert.Equal(new MintHealthView(1, 1, 0, 3), await HealthWhenAsync(h => h.RetriesSucceeded == 1, "the retry success to be counted"));
    }

    [Fact]
    public async Task The_backoff_outlives_the_activation_so_an_ask_after_a_restart_still_waits()
    {
        await StartClusterAsync(failingCreations: 2);
        var (creator, fan) = (new TestWallet(173).Address, new TestWallet(174).Address);
        var request = MintRequest.Shawty(new ChainTip(fan, creator, 2_000_000, "PURCHASE:SHAWTY", new ChainPosition(1, 0), "PURCHASE-TX-1", DateTimeOffset.UnixEpoch));
        var mint = Grains.GetGrain<INftMint>(request.Key);
        await mint.StartAsync(request);
        await HealthWhenAsync(h => h.FailedAttempts == 1, "the first failure");
        time.Advance(retry.FirstDelay);
        await HealthWhenAsync(h => h.FailedAttempts == 2, "the second failure, after which the wait is twice the first");

        await Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        time.Advance(retry.FirstDelay);
        Assert.Null(await AskAsync(mint, request)); // a new activation, as after a restart, and still inside the backoff
        Assert.Equal(2, node.Creations);

        time.Advance(retry.FirstDelay); // the retry armed by that ask runs
        await ClusterHosts.EventuallyAsync(() => mint.GetAsync(), m => m is not null, Wait, "the token to land");
        Assert.Equal(3, node.Creations);
    }

    [Fact]
    public async Task A_mint_failing_past_its_retries_counts_as_still_failing_once_until_it_lands()
    {
        await StartClusterAsync(failingCreations: 5);
        var request = MintRequest.Bauni(new TestWallet(175).Address, new TestWallet(176).Address);
        var mint = Grains.GetGrain<INftMint>(request.Key);
        await mint.StartAsync(request);

        for (var failures = 1; failures <= 5; failures++)
        {
            await CreationsWhenAsync(failures);
            var health = await HealthWhenAsync(h => h.FailedAttempts == failures, $"failure {failures} to be counted");
            Assert.Equal(failures > 3 ? 1 : 0, health.StillFailing); // the first attempt and all three retries failed
            time.Advance(MintRetryPolicy.DelayAfter(failures, retry));
        }

        await ClusterHosts.EventuallyAsync(() => mint.GetAsync(), m => m is not null, Wait, "the membership NFT to land");
        Assert.Equal(new MintHealthView(5, 1, 0, 3), await HealthWhenAsync(h => h.RetriesSucceeded == 1, "the retry success to be counted"));
    }
}
