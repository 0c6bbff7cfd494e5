using System.Security.Cryptography;
using FanForge.Grains.Algorand.Clients;
using FanForge.Grains.Algorand.Simulation;
using FanForge.Grains.Nfts;
using FanForge.GrainInterfaces.Loyalty;
using FanForge.GrainInterfaces.Nfts;
using FanForge.Silo;
using FanForge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace FanForge.Tests.Nfts;

public sealed class BadgeMintTests : IAsyncLifetime
{
    private InProcessTestCluster cluster = null!;

    private IGrainFactory Grains => cluster.Client;

    public async Task InitializeAsync() => cluster = await TestClusters.StartAsync(1, new AlgorandSettings(), services =>
    {
        services.AddSingleton<IAlgodClient>(sp => new LostAnswerAlgodClient(sp.GetRequiredService<IGrainFactory>()));
        // A lost answer is a failed attempt: keep the backoff before its retry short.
        services.Configure<MintRetryOptions>(o => o.FirstDelay = TimeSpan.FromSeconds(1));
    });

    public async Task DisposeAsync() => await cluster.DisposeAsync();

    private async Task<ChainTip[]> FiveTipsAsync(string creator, string fan)
    {
        var tips = Enumerable.Range(1, 5)
            .Select(r => new ChainTip(fan, creator, 1_000_000, "", new ChainPosition((ulong)r, 0), $"MINT{r}", DateTimeOffset.UnixEpoch))
            .ToArray();
        await Grains.GetGrain<ICreatorPayments>(creator).ApplyAsync(tips);
        return tips;
    }

    [Fact]
    public async Task A_mint_whose_answer_was_lost_is_retried_and_still_yields_exactly_one_soulbound_arc3_asset()
    {
        var (creator, fan) = (new TestWallet(151).Address, new TestWallet(152).Address);
        await FiveTipsAsync(creator, fan);
        var request = MintRequest.Butki(creator, fan, 1);
        var mint = Grains.GetGrain<INftMint>(request.Key);

        // The first attempt (started by the pair) lost its answer; asks inside the backoff are ignored, the first after it retries.
        await ClusterHosts.EventuallyAsync(async () =>
        {
            await mint.StartAsync(request);
            return await mint.GetAsync();
        }, minted => minted is not null, TimeSpan.FromSeconds(10), "the badge to be minted");
        await mint.StartAsync(request); // and once more after success: nothing new

        var minted = (await mint.GetAsync())!;
        var ledger = Grains.GetGrain<ISimulatedLedger>("sim");
        var asset = (await ledger.GetAssetAsync(minted.AssetId))!;
        Assert.Null(await ledger.GetAssetAsync(minted.AssetId + 1)); // no second ASA in this cluster's chain
        Assert.Equal((1UL, 0UL, true), (asset.Params.Total, asset.Params.Decimals, asset.Params.DefaultFrozen));
        Assert.Equal(asset.Params.Creator, asset.Params.Clawback);
        Assert.Equal(asset.Params.Creator, asset.Params.Freeze);
        Assert.Equal(("BUTKI", "Butki Badge #1"), (asset.Params.UnitName, asset.Params.Name));
        Assert.EndsWith("#arc3", asset.Params.Url);
        Assert.Equal(SHA256.HashData(Arc3.For(MintRequest.Butki(creator, fan, 1), NftDesign.For(MintRequest.Butki(creator, fan, 1)), template: null).Json), asset.Params.MetadataHash);

        var pair = await ClusterHosts.EventuallyAsync(
            () => Grains.GetGrain<IFanLoyalty>(FanLoyaltyKey.For(creator, fan)).GetAsync(),
            p => p.BadgesMinted == 1, TimeSpan.FromSeconds(10), "the pair to record the mint");
        Assert.Equal((long)minted.AssetId, pair.LastBadgeAssetId);
        var pending = Assert.Single(await Grains.GetGrain<IFanNfts>(fan).GetPendingAsync());
        Assert.Equal((minted.AssetId, DeliveryStatus.PendingOptIn), (pending.AssetId, pending.DeliveryStatus));
    }

    [Fact]
    public async Task Redelivered_tips_after_a_badge_do_not_mint_again()
    {
        var (creator, fan) = (new TestWallet(153).Address, new TestWallet(154).Address);
        var tips = await FiveTipsAsync(creator, fan);
        var pair = Grains.GetGrain<IFanLoyalty>(FanLoyaltyKey.For(creator, fan));
        await ClusterHosts.EventuallyAsync(async () =>
        {
            await Grains.GetGrain<INftMint>(MintRequest.Butki(creator, fan, 1).Key).StartAsync(MintRequest.Butki(creator, fan, 1));
            return await pair.GetAsync();
        }, p => p.BadgesMinted == 1, TimeSpan.FromSeconds(10), "the first badge");

        await Grains.GetGrain<ICreatorPayments>(creator).ApplyAsync(tips);
        await pair.ApplyAsync([.. tips.Select(t => new PricedTip(t, CountsForButki: true))]);

        await Grains.GetGrain<INftMint>(MintRequest.Butki(creator, fan, 1).Key).StartAsync(MintRequest.Butki(creator, fan, 1));

        Assert.Single(await Grains.GetGrain<IFanNfts>(fan).GetAllAsync());
        Assert.Equal(1, (await pair.GetAsync()).BadgesMinted);
        // The pair's notice to the creator is one-way: wait for it, then make sure the repeats added nothing.
        await ClusterHosts.EventuallyAsync(
            () => Grains.GetGrain<ICreatorPayments>(creator).GetSummaryAsync(), s => s.BadgesMinted == 1, TimeSpan.FromSeconds(10), "the creator to count the badge");
        await Task.Delay(200);
        Assert.Equal(1, (await Grains.GetGrain<ICreatorPayments>(creator).GetSummaryAsync()).BadgesMinted);
    }
}
