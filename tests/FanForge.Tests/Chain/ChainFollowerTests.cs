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

/// <summary>The simulated algod, which can be told to report a chain that went back (as after a reset).</summary>
internal sealed class RewindableAlgod(IGrainFactory grains) : IAlgodClient
{
    private readonly SimulatedAlgodClient inner = new(grains, TimeSpan.FromMilliseconds(500));

    /// <summary>Rounds taken off every status the follower reads; 0 reports the chain as it is.</summary>
    public static ulong Rewind;

    private static NodeStatus Rewound(NodeStatus status) =>
        Volatile.Read(ref Rewind) is var back and > 0 ? status with { LastRound = status.LastRound > back ? status.LastRound - back : 1 } : status;

    public async Task<NodeStatus> WaitForBlockAfterAsync(ulong round, CancellationToken cancellationToken = default) =>
        Rewound(await inner.WaitForBlockAfterAsync(round, cancellationToken));

    public async Task<NodeStatus> GetStatusAsync(CancellationToken cancellationToken = default) => Rewound(await inner.GetStatusAsync(cancellationToken));

    public Task<TransactionParams> GetTransactionParamsAsync(CancellationToken cancellationToken = default) => inner.GetTransactionParamsAsync(cancellationToken);

    public Task<string> SubmitAsync(ReadOnlyMemory<byte> signedTransactions, CancellationToken cancellationToken = default) => inner.SubmitAsync(signedTransactions, cancellationToken);

    public Task<PendingTransaction?> GetPendingTransactionAsync(string txid, CancellationToken cancellationToken = default) => inner.GetPendingTransactionAsync(txid, cancellationToken);

    public Task<AccountInformation> GetAccountAsync(AlgorandAddress address, CancellationToken cancellationToken = default) => inner.GetAccountAsync(address, cancellationToken);

    public Task<AssetHolding?> GetAccountAssetAsync(AlgorandAddress address, ulong assetId, CancellationToken cancellationToken = default) =>
        inner.GetAccountAssetAsync(address, assetId, cancellationToken);

    public Task<AssetInfo?> GetAssetAsync(ulong assetId, CancellationToken cancellationToken = default) => inner.GetAssetAsync(assetId, cancellationToken);

    public Task<ApplicationInfo?> GetApplicationAsync(ulong applicationId, CancellationToken cancellationToken = default) => inner.GetApplicationAsync(applicationId, cancellationToken);

    public Task<CompiledTeal> CompileTealAsync(string source, CancellationToken cancellationToken = default) => inner.CompileTealAsync(source, cancellationToken);
}

/// <summary>The follower on its own cluster and simulated ledger, end to end from signed groups to loyalty.</summary>
public sealed class ChainFollowerTests : IAsyncLifetime
{
    private InProcessTestCluster cluster = null!;

    private IGrainFactory Grains => cluster.Client;

    private ISimulatedLedger Ledger => Grains.GetGrain<ISimulatedLedger>(ISimulatedLedger.Key);

    private IChainFollower Follower => Grains.GetGrain<IChainFollower>(IChainFollower.Key);

    public async Task InitializeAsync() => cluster = await TestClusters.StartAsync(
        1, new AlgorandSettings { WatcherPollInterval = TimeSpan.FromMilliseconds(100) }, services =>
        {
            services.Configure<ChainFollowerOptions>(o => (o.PageSize, o.MaxBackoff, o.BlockWait) = (3, TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(300)));
            services.AddSingleton<IAlgodClient>(sp => new RewindableAlgod(sp.GetRequiredService<IGrainFactory>()));
        });

    public async Task DisposeAsync()
    {
        Volatile.Write(ref RewindableAlgod.Rewind, 0UL);
        await cluster.DisposeAsync();
    }

    private async Task<TipProxyContract> RegisterAsync(TestWallet creator) =>
        (await Grains.GetGrain<ICreator>(creator.Address).RegisterAsync(new RegisterCreator(null, 500_000))).Contract!;

    /// <summary>Submits the frontend's tip group and returns the payment's txid and its round.</summary>
    private async Task<(string TxId, ulong Round)> TipAsync(TestWallet fan, TipProxyContract app, ulong microAlgo, string memo)
    {
        var chain = await Ledger.GetParamsAsync();
        await Ledger.FundAsync(fan.Address, 10_000_000);
        var group = Tipping.TipGroup(fan, (app.AppId, AlgorandAddress.Parse(app.AppAddress)), microAlgo, memo, chain.LastRound);
        var result = await Ledger.SubmitAsync([.. group.SelectMany(Convert.FromBase64String)]);
        Assert.True(result.IsAccepted, result.Message);
        var payTxId = SignedTransaction.Decode(Convert.FromBase64String(group[0])).TxId;
        return (payTxId, (await Ledger.GetPendingAsync(payTxId))!.ConfirmedRound!.Value);
    }

    private Task<FanLoyaltySnapshot> PairAsync(TestWallet creator, TestWallet fan) =>
        Grains.GetGrain<IFanLoyalty>(FanLoyaltyKey.For(creator.Address, fan.Address)).GetAsync();

    private Task<ChainFollowerStatus> PastAsync(ulong round) => ClusterHosts.EventuallyAsync(
        Follower.GetStatusAsync, s => s.LastProcessedRound >= round, TimeSpan.FromSeconds(15), $"the follower past round {round}");

    [Fact]
    public async Task Tips_are_credited_from_the_transfer_and_a_creator_updated_foreign_program_earns_nothing()
    {
        var (creator, fan) = (new TestWallet(171), new TestWallet(173));
        var app = await RegisterAsync(creator);
        await Follower.EnsureRunningAsync();

        await Ledger.FundAsync(creator.Address, 10_000_000);
        var (firstTxId, _) = await TipAsync(fan, app, 1_000_000, "first");
        var pair = await ClusterHosts.EventuallyAsync(() => PairAsync(creator, fan), p => p.PaymentCount == 1, TimeSpan.FromSeconds(15), "the first tip");
        Assert.Equal((1, 1_000_000L), (pair.ButkiTipCount, pair.PaymentMicroAlgo));
        var recent = Assert.Single(await Grains.GetGrain<IFanLoyalty>(FanLoyaltyKey.For(creator.Address, fan.Address)).GetRecentAsync());
        Assert.Equal((firstTxId, "first"), (recent.TxId, recent.Memo));

        // The creator swaps the approval program for one we do not ship (the program lets the creator update it).
        var chain = await Ledger.GetParamsAsync();
        var update = TipProxy.BuildUpdate(AlgorandAddress.Parse(creator.Address), app.AppId, chain, ([0x0a, .. "a creator's own program"u8], [0x0a, 0x81, 0x01, 0x43]));
        var updated = await Ledger.SubmitAsync(SignedTransaction.Sign(update, creator.Signer).Encode());
        Assert.True(updated.IsAccepted, updated.Message);

        var (_, foreignRound) = await TipAsync(fan, app, 5_000_000, "after the swap");
        var status = await PastAsync(foreignRound);
        Assert.Equal(1, status.RefusedForeignProgram);
        Assert.Equal((1, 1_000_000L), ((await PairAsync(creator, fan)).PaymentCount, (await PairAsync(creator, fan)).PaymentMicroAlgo));
        Assert.Equal(1, (await Grains.GetGrain<ICreatorPayments>(creator.Address).GetSummaryAsync()).PaymentCount);
        var contract = (await Grains.GetGrain<ICreator>(creator.Address).GetProfileAsync())!.Contract!;
        Assert.Contains("FanForge does not ship", contract.Refusal, StringComparison.Ordinal);
    }

    /// <summary>An app deployed before the current version: still ours when first seen, and its upgrade is no foreign update.</summary>
    [Fact]
    public async Task An_app_on_version_1_keeps_earning_and_its_upgrade_to_the_current_version_is_not_foreign()
    {
        var (creator, fan) = (new TestWallet(185), new TestWallet(186));
        await Follower.EnsureRunningAsync();
        await Ledger.FundAsync(creator.Address, 10_000_000);
        var platform = new Ed25519TransactionSigner(Convert.FromBase64String(AlgorandSettings.DevelopmentPlatformSeed)).Address;
        var creatorAddress = AlgorandAddress.Parse(creator.Address);
        var clear = (await new SimulatedTipProxyPrograms().GetAsync(CancellationToken.None)).Clear;
        var create = TipProxy.BuildCreate(
            platform, creatorAddress, 500_000, await Ledger.GetParamsAsync(), (SimulatedTipProxyPrograms.ApprovalV1, clear), sender: creatorAddress);
        var created = await Ledger.SubmitAsync(SignedTransaction.Sign(create, creator.Signer).Encode());
        Assert.True(created.IsAccepted, created.Message);
        var confirmed = (await Ledger.GetPendingAsync(created.TxId!))!;
        var appId = confirmed.ApplicationIndex!.Value;
        var app = new TipProxyContract(appId, AlgorandAddress.ForApplication(appId).ToString(), 1, created.TxId!, confirmed.ConfirmedRound!.Value, DateTimeOffset.UnixEpoch);
        await Grains.GetGrain<ICreatorDirectory>(ICreatorDirectory.Key).RegisterAsync(new CreatorApp(creator.Address, appId, app.CreatedRound));

        await TipAsync(fan, app, 1_000_000, "on version 1");
        await ClusterHosts.EventuallyAsync(() => PairAsync(creator, fan), p => p.PaymentCount == 1, TimeSpan.FromSeconds(15), "the tip to version 1");
        var update = TipProxy.BuildUpdate(creatorAddress, appId, await Ledger.GetParamsAsync(), await new SimulatedTipProxyPrograms().GetAsync(CancellationToken.None));
        var updated = await Ledger.SubmitAsync(SignedTransaction.Sign(update, creator.Signer).Encode());
        Assert.True(updated.IsAccepted, updated.Message);
        var (_, round) = await TipAsync(fan, app, 2_000_000, "on version 2");

        var status = await PastAsync(round);
        var pair = await ClusterHosts.EventuallyAsync(() => PairAsync(creator, fan), p => p.PaymentCount == 2, TimeSpan.FromSeconds(15), "the tip to version 2");
        Assert.Equal(3_000_000L, pair.PaymentMicroAlgo);
        Assert.Equal(0, status.RefusedForeignProgram);
    }

    [Fact]
    public async Task A_chain_that_goes_back_halts_crediting_loudly_and_a_resume_loses_nothing()
    {
        var (creator, fan) = (new TestWallet(174), new TestWallet(175));
        var app = await RegisterAsync(creator);
        await Follower.EnsureRunningAsync();
        var (_, round) = await TipAsync(fan, app, 1_000_000, "before");
        await PastAsync(round);

        Volatile.Write(ref RewindableAlgod.Rewind, 500UL);
        var halted = await ClusterHosts.EventuallyAsync(Follower.GetStatusAsync, s => s.HaltReason is not null, TimeSpan.FromSeconds(15), "the halt");
        Assert.Contains("below round", halted.HaltReason, StringComparison.Ordinal);

        // While halted nothing is credited, even once the node looks right again: an operator decides.
        Volatile.Write(ref RewindableAlgod.Rewind, 0UL);
        var (_, during) = await TipAsync(fan, app, 1_000_000, "during the halt");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(1, (await PairAsync(creator, fan)).PaymentCount);
        Assert.NotNull((await Follower.GetStatusAsync()).HaltReason);

        await Follower.ResumeAsync(halted.LastProcessedRound + 1);
        await ClusterHosts.EventuallyAsync(() => PairAsync(creator, fan), p => p.PaymentCount == 2, TimeSpan.FromSeconds(15), "the tip made during the halt");
        Assert.Null((await PastAsync(during)).HaltReason);
    }

    [Fact]
    public async Task Tips_made_before_the_follower_learned_of_a_new_app_are_read_back_for_it()
    {
        var (early, creator, fan) = (new TestWallet(176), new TestWallet(177), new TestWallet(178));
        await RegisterAsync(early);
        await Follower.EnsureRunningAsync();

        // The creator deploys its own TipProxy and is tipped, and the follower passes those rounds, all before the app
        // is listed: as when a registration reaches the follower late.
        await Ledger.FundAsync(creator.Address, 10_000_000);
        var platform = new Ed25519TransactionSigner(Convert.FromBase64String(AlgorandSettings.DevelopmentPlatformSeed)).Address;
        var creatorAddress = AlgorandAddress.Parse(creator.Address);
        var create = TipProxy.BuildCreate(
            platform, creatorAddress, 500_000, await Ledger.GetParamsAsync(), await new SimulatedTipProxyPrograms().GetAsync(CancellationToken.None), sender: creatorAddress);
        var created = await Ledger.SubmitAsync(SignedTransaction.Sign(create, creator.Signer).Encode());
        Assert.True(created.IsAccepted, created.Message);
        var confirmed = (await Ledger.GetPendingAsync(created.TxId!))!;
        var appId = confirmed.ApplicationIndex!.Value;
        var app = new TipProxyContract(appId, AlgorandAddress.ForApplication(appId).ToString(), TipProxy.Version, created.TxId!, confirmed.ConfirmedRound!.Value, DateTimeOffset.UnixEpoch);
        var (_, round) = await TipAsync(fan, app, 2_000_000, "early bird");
        await PastAsync(round);
        Assert.Equal(0, (await PairAsync(creator, fan)).PaymentCount);

        await Grains.GetGrain<ICreatorDirectory>(ICreatorDirectory.Key).RegisterAsync(new CreatorApp(creator.Address, appId, app.CreatedRound));

        var pair = await ClusterHosts.EventuallyAsync(() => PairAsync(creator, fan), p => p.PaymentCount == 1, TimeSpan.FromSeconds(15), "the early tip");
        Assert.Equal((2_000_000L, "early bird"), (pair.PaymentMicroAlgo, (await Grains.GetGrain<ICreatorPayments>(creator.Address).GetSummaryAsync()).Recent.Single().Memo));
    }
}
