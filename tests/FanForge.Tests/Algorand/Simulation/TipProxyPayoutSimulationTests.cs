using FanForge.Grains.Algorand;
using FanForge.Grains.Algorand.Simulation;
using FanForge.Grains.Chain;
using static FanForge.Tests.Algorand.Simulation.ChainHarness;

namespace FanForge.Tests.Algorand.Simulation;

/// <summary>
/// TipProxy version 2's withdraw on the simulated ledger: the platform may trigger it, and it pays the creator stored
/// in the app whoever calls and whatever the call lists; on version 1 only the creator may.
/// </summary>
public sealed class TipProxyPayoutSimulationTests
{
    private readonly ChainHarness harness = new();

    private SimulatedChain Chain => harness.Chain;

    /// <summary>A TipProxy of <paramref name="creator"/> running <paramref name="approval"/>, holding 3 ALGO of tips.</summary>
    private ulong DeployWithTips(ITransactionSigner creator, byte[] approval)
    {
        var create = harness.CreateTipProxy(creator, creator.Address, Algo) with { ApprovalProgram = approval };
        var appId = Chain.GetPending(Accepted(harness.Submit(create, creator)))!.ApplicationIndex!.Value;
        Accepted(harness.Tip(harness.NewWallet(), appId, 3 * Algo));
        return appId;
    }

    /// <summary>What the payout grain sends: the platform's withdraw, built by the same code.</summary>
    private Transaction PlatformWithdraw(ITransactionSigner creator, ulong appId, ulong amount) =>
        TipProxy.BuildPlatformWithdraw(harness.Platform.Address, creator.Address, appId, amount, Chain.GetParams());

    [Fact]
    public void The_platform_triggers_a_version_2_withdraw_and_it_pays_the_creator_stored_in_the_app()
    {
        var creator = harness.NewWallet();
        var appId = DeployWithTips(creator, SimulatedTipProxyPrograms.ApprovalV2);
        var (creatorBefore, platformBefore) = (Chain.Balance(creator.Address), Chain.Balance(harness.Platform.Address));
        var withdraw = PlatformWithdraw(creator, appId, 2 * Algo);

        var txId = Accepted(harness.Submit(withdraw, harness.Platform));

        Assert.Equal(2000UL, withdraw.Fee); // its own fee and the inner payment's, pooled
        Assert.Equal([creator.Address], withdraw.Accounts);
        Assert.Equal(creatorBefore + (2 * Algo), Chain.Balance(creator.Address));
        Assert.Equal(platformBefore - withdraw.Fee, Chain.Balance(harness.Platform.Address));
        Assert.Equal(Algo, Chain.Balance(AlgorandAddress.ForApplication(appId)));
        var inner = Assert.Single(Chain.LookupTransaction(txId)!.InnerTransactions);
        Assert.Equal(("pay", AlgorandAddress.ForApplication(appId).ToString(), 2 * Algo, creator.Address.ToString()),
            (inner.TxType, inner.Sender, inner.PaymentAmount!.Value, inner.PaymentReceiver));
        // The same bytes again are a duplicate, not a second payout.
        Rejected(harness.Submit(withdraw, harness.Platform), "already in ledger");
        Assert.Equal(creatorBefore + (2 * Algo), Chain.Balance(creator.Address));
    }

    [Fact]
    public void No_caller_can_choose_the_receiver_and_only_the_creator_or_the_platform_may_call()
    {
        var creator = harness.NewWallet();
        var appId = DeployWithTips(creator, SimulatedTipProxyPrograms.ApprovalV2);
        var thief = harness.NewWallet();
        var withdraw = PlatformWithdraw(creator, appId, Algo);
        var thiefBefore = Chain.Balance(thief.Address);

        // Anyone else, even listing themselves as the account to pay: refused.
        Rejected(harness.Submit(withdraw with { Sender = thief.Address, Accounts = [thief.Address] }, thief), "only the creator");
        // The platform naming a receiver as an argument: the method takes an amount only.
        Rejected(harness.Submit(withdraw with { ApplicationArgs = [.. withdraw.ApplicationArgs, thief.Address.PublicKey] }, harness.Platform), "expected 2 application args");
        // The platform listing another account instead of the creator: the creator, the only receiver, is unavailable.
        Rejected(harness.Submit(withdraw with { Accounts = [thief.Address] }, harness.Platform), "unavailable Account");
        // Listing another account as well changes nothing: the creator is paid, never the other.
        Accepted(harness.Submit(withdraw with { Accounts = [thief.Address, creator.Address] }, harness.Platform));

        Assert.Equal(thiefBefore, Chain.Balance(thief.Address));
        Assert.Equal(2 * Algo, Chain.Balance(AlgorandAddress.ForApplication(appId)));
    }

    [Fact]
    public void On_version_1_only_the_creator_withdraws_until_the_creator_upgrades_to_version_2()
    {
        var creator = harness.NewWallet();
        var appId = DeployWithTips(creator, SimulatedTipProxyPrograms.ApprovalV1);
        var withdraw = PlatformWithdraw(creator, appId, Algo);

        Rejected(harness.Submit(withdraw, harness.Platform), "from program version 2");
        Accepted(harness.Submit(withdraw with { Sender = creator.Address, Accounts = [] }, creator));

        var upgrade = harness.Header(TransactionType.ApplicationCall, creator.Address) with
        {
            ApplicationId = appId,
            OnCompletion = OnCompletion.UpdateApplication,
            ApprovalProgram = SimulatedTipProxyPrograms.ApprovalV2,
            ClearStateProgram = new byte[] { 0x0a, 0x81, 0x01, 0x43 },
        };
        Accepted(harness.Submit(upgrade, creator));
        Accepted(harness.Submit(withdraw, harness.Platform));

        Assert.Equal(Algo, Chain.Balance(AlgorandAddress.ForApplication(appId)));
    }
}
