using System.Text;
using FanForge.Grains;
using FanForge.Grains.Algorand;
using FanForge.Grains.Algorand.Clients;
using FanForge.Grains.Algorand.Simulation;
using FanForge.Grains.Chain;
using FanForge.Grains.Payouts;
using FanForge.GrainInterfaces.Creators;
using FanForge.GrainInterfaces.Errors;
using FanForge.GrainInterfaces.Notifications;
using FanForge.GrainInterfaces.Payouts;
using FanForge.Silo;
using FanForge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace FanForge.Tests.Payouts;

/// <summary>
/// The simulated node, counting the platform's withdraw calls it is sent; when told to, it applies the next one and
/// then loses its answer (a 503 after the chain took it), the case where only resending the stored bytes is safe.
/// </summary>
public sealed class PayoutNode(IGrainFactory grains) : ForwardingAlgodClient(new SimulatedAlgodClient(grains))
{
    private int withdrawals;
    private int loseNext;

    /// <summary>Withdraw submissions received, resends included.</summary>
    public int Withdrawals => Volatile.Read(ref withdrawals);

    public void LoseNextWithdrawAnswer() => Volatile.Write(ref loseNext, 1);

    public override async Task<string> SubmitAsync(ReadOnlyMemory<byte> signedTransactions, CancellationToken cancellationToken = default)
    {
        var isWithdraw = SignedTransaction.DecodeConcatenated(signedTransactions.Span)
            .Any(t => t.Transaction.ApplicationArgs.Count > 0 && t.Transaction.ApplicationArgs[0].Span.SequenceEqual("withdraw"u8));
        if (!isWithdraw)
        {
            return await Inner.SubmitAsync(signedTransactions, cancellationToken);
        }

        Interlocked.Increment(ref withdrawals);
        var txId = await Inner.SubmitAsync(signedTransactions, cancellationToken);
        return Interlocked.Exchange(ref loseNext, 0) == 1 ? throw Unavailable() : txId;
    }
}

/// <summary>One silo on the simulated ledger; the business clock is the tests' to move, and reminders never fire in a test's time.</summary>
public sealed class PayoutClusterFixture : IAsyncLifetime
{
    // A Wednesday: ISO week 2026-W10 runs from Monday 2 March to Sunday 8 March.
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 4, 12, 0, 0, TimeSpan.Zero));

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public PayoutNode Node { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await TestClusters.StartAsync(1, new AlgorandSettings(), services =>
    {
        services.AddSingleton(new BusinessClock(Clock));
        services.AddSingleton<IAlgodClient>(sp => Node = new PayoutNode(sp.GetRequiredService<IGrainFactory>()));
    });

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>
/// Payout grains on the simulated ledger: creators registered for real (a current TipProxy), tips stood in for by
/// payments to the app account. Each test has its own creators; the clock only moves forward, by whole weeks.
/// </summary>
public sealed class CreatorPayoutsGrainTests(PayoutClusterFixture fixture) : IClassFixture<PayoutClusterFixture>
{
    private const long Algo = 1_000_000;

    /// <summary>An app account's own minimum balance, which a withdraw always leaves.</summary>
    private const long AppMinBalance = 100_000;

    private IGrainFactory Grains => fixture.Cluster.Client;

    private ISimulatedLedger Ledger => Grains.GetGrain<ISimulatedLedger>(ISimulatedLedger.Key);

    private static TestWallet NewWallet() => new(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    private async Task<(TestWallet Creator, ulong AppId, ICreatorPayouts Payouts)> NewCreatorAsync()
    {
        var creator = NewWallet();
        var profile = await Grains.GetGrain<ICreator>(creator.Address).RegisterAsync(new RegisterCreator(null, 500_000));
        return (creator, profile.Contract!.AppId, Grains.GetGrain<ICreatorPayouts>(creator.Address));
    }

    private Task FundAppAsync(ulong appId, long microAlgo) => Ledger.FundAsync(AlgorandAddress.ForApplication(appId).ToString(), (ulong)microAlgo);

    private async Task<long> BalanceAsync(string address) => (long)(await Ledger.GetAccountAsync(address)).Amount;

    /// <summary>The withdraw calls the chain holds for <paramref name="appId"/>.</summary>
    private async Task<List<string>> WithdrawalsOnChainAsync(ulong appId) =>
        [.. (await Ledger.SearchApplicationCallsAsync(appId, 0, null, 1000)).Transactions
            .Where(t => t.ApplicationArgs.Count > 0 && t.ApplicationArgs[0].AsSpan().SequenceEqual("withdraw"u8))
            .Select(t => t.Id!)];

    /// <summary>Moves the business clock to the same time of day in the next ISO week.</summary>
    private void NextWeek() => fixture.Clock.Advance(TimeSpan.FromDays(7));

    /// <summary>The creator signs an update of its app to <paramref name="approval"/>, as the upgrade flow has it do.</summary>
    private async Task UpdateProgramAsync(TestWallet creator, ulong appId, byte[] approval)
    {
        var chain = await Ledger.GetParamsAsync();
        var update = TipProxy.BuildUpdate(AlgorandAddress.Parse(creator.Address), appId, chain, (approval, [0x0a, 0x81, 0x01, 0x43]));
        var result = await Ledger.SubmitAsync(SignedTransaction.Sign(update, creator.Signer).Encode());
        Assert.True(result.IsAccepted, result.Message);
    }

    [Fact]
    public async Task Weekly_pays_once_per_iso_week_however_often_the_reminder_fires()
    {
        var (creator, appId, payouts) = await NewCreatorAsync();
        await FundAppAsync(appId, 10 * Algo);

        var set = await payouts.SetScheduleAsync(new PayoutSchedule(PayoutMode.Weekly));
        var sameWeek = await payouts.CheckAsync();

        Assert.True(set.Changed);
        Assert.Equal(fixture.Clock.GetUtcNow(), set.View.Since);
        Assert.Empty(sameWeek.Payouts); // the week the schedule was set in is never paid

        NextWeek();
        var week = PayoutRules.IsoWeek(fixture.Clock.GetUtcNow());
        var before = fixture.Node.Withdrawals;
        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => payouts.CheckAsync()));
        await payouts.CheckAsync();

        var view = await payouts.GetAsync(10);
        var paid = Assert.Single(view.Payouts);
        Assert.Equal((week, PayoutMode.Weekly, PayoutStatus.Paid, (10 * Algo) - AppMinBalance, appId),
            (paid.Period, paid.Mode, paid.Status, paid.AmountMicroAlgo, paid.AppId));
        Assert.NotNull(paid.ConfirmedRound);
        Assert.Equal([paid.TxId!], await WithdrawalsOnChainAsync(appId));
        Assert.Equal(1, fixture.Node.Withdrawals - before);
        Assert.Equal(paid.AmountMicroAlgo, await BalanceAsync(creator.Address));
        Assert.Equal(AppMinBalance, await BalanceAsync(AlgorandAddress.ForApplication(appId).ToString()));

        // More tips in the same week wait for the next one.
        await FundAppAsync(appId, 3 * Algo);
        await payouts.CheckAsync();
        Assert.Single((await payouts.GetAsync(10)).Payouts);

        NextWeek();
        await payouts.CheckAsync();
        var both = (await payouts.GetAsync(10)).Payouts;
        Assert.Equal([(PayoutRules.IsoWeek(fixture.Clock.GetUtcNow()), 3 * Algo), (week, (10 * Algo) - AppMinBalance)],
            both.Select(p => (p.Period, p.AmountMicroAlgo))); // newest first
        Assert.Equal(((10 * Algo) - AppMinBalance) + (3 * Algo), await BalanceAsync(creator.Address));

        // The creator was told of each payout once, with its amount and transaction, however often the reminder fired.
        var told = (await Grains.GetGrain<INotificationInbox>(creator.Address).GetPageAsync(new NotificationQuery(50))).Items
            .Select(i => i.Notification).Where(n => n.Kind == NotificationKinds.PayoutSent).ToList();
        Assert.Equal(both.Select(p => (p.Period, p.AmountMicroAlgo, p.TxId)), told.Select(n => (n.Details.PayoutId!, n.Details.AmountMicroAlgo!.Value, n.Details.TxId)));
    }

    [Fact]
    public async Task A_payout_whose_answer_was_lost_is_resent_as_the_same_bytes_by_the_next_activation_and_pays_once()
    {
        var (creator, appId, payouts) = await NewCreatorAsync();
        await FundAppAsync(appId, 4 * Algo);
        await payouts.SetScheduleAsync(new PayoutSchedule(PayoutMode.Weekly));
        NextWeek();
        var before = fixture.Node.Withdrawals;

        fixture.Node.LoseNextWithdrawAnswer();
        var lost = await Assert.ThrowsAsync<DomainException>(() => payouts.CheckAsync());
        var inFlight = Assert.Single((await payouts.GetAsync(10)).Payouts);

        Assert.Equal(DomainErrorKind.Unavailable, lost.Kind);
        Assert.Equal(PayoutStatus.Pending, inFlight.Status);
        Assert.Equal([inFlight.TxId!], await WithdrawalsOnChainAsync(appId)); // it did land

        // As after a silo restart: a new activation finds the stored transaction and sends it again.
        await Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        await FundAppAsync(appId, 2 * Algo); // a balance that changed meanwhile changes nothing already signed
        await payouts.CheckAsync();
        await payouts.CheckAsync();

        var paid = Assert.Single((await payouts.GetAsync(10)).Payouts);
        Assert.Equal((PayoutStatus.Paid, inFlight.TxId, (4 * Algo) - AppMinBalance), (paid.Status, paid.TxId, paid.AmountMicroAlgo));
        Assert.Equal([inFlight.TxId!], await WithdrawalsOnChainAsync(appId));
        Assert.Equal(2, fixture.Node.Withdrawals - before); // the lost send and its resend, nothing signed anew
        Assert.Equal((4 * Algo) - AppMinBalance, await BalanceAsync(creator.Address));
    }

    [Fact]
    public async Task Threshold_pays_only_once_the_app_holds_the_threshold_above_its_minimum_balance()
    {
        var (creator, appId, payouts) = await NewCreatorAsync();
        await payouts.SetScheduleAsync(new PayoutSchedule(PayoutMode.Threshold, 5 * Algo));

        await FundAppAsync(appId, 5 * Algo); // 4.9 ALGO above the minimum balance
        await payouts.CheckAsync();
        Assert.Empty((await payouts.GetAsync(10)).Payouts);
        Assert.Empty(await WithdrawalsOnChainAsync(appId));

        await FundAppAsync(appId, AppMinBalance);
        await payouts.CheckAsync();
        await payouts.CheckAsync(); // nothing left above the minimum: no second payout
        var first = Assert.Single((await payouts.GetAsync(10)).Payouts);
        Assert.Equal(("threshold-1", PayoutStatus.Paid, 5 * Algo), (first.Period, first.Status, first.AmountMicroAlgo));

        await FundAppAsync(appId, 7 * Algo);
        await payouts.CheckAsync();
        var payoutsNow = (await payouts.GetAsync(10)).Payouts;
        Assert.Equal([("threshold-2", 7 * Algo), ("threshold-1", 5 * Algo)], payoutsNow.Select(p => (p.Period, p.AmountMicroAlgo)));
        Assert.Equal(12 * Algo, await BalanceAsync(creator.Address));
        Assert.Equal(2, (await WithdrawalsOnChainAsync(appId)).Count);
    }

    [Fact]
    public async Task An_app_on_version_1_is_skipped_as_upgrade_required_and_the_same_week_pays_once_the_creator_upgrades()
    {
        var (creator, appId, payouts) = await NewCreatorAsync();
        await Ledger.FundAsync(creator.Address, Algo); // the creator pays its updates' fees
        await UpdateProgramAsync(creator, appId, SimulatedTipProxyPrograms.ApprovalV1);
        await FundAppAsync(appId, 6 * Algo);
        await payouts.SetScheduleAsync(new PayoutSchedule(PayoutMode.Weekly));
        NextWeek();
        var before = fixture.Node.Withdrawals;
        var creatorBefore = await BalanceAsync(creator.Address);

        await payouts.CheckAsync();
        await payouts.CheckAsync();

        var skipped = Assert.Single((await payouts.GetAsync(10)).Payouts);
        Assert.Equal((PayoutStatus.UpgradeRequired, (string?)null), (skipped.Status, skipped.TxId));
        Assert.Contains("TipProxy version 1", skipped.Detail, StringComparison.Ordinal);
        Assert.Equal(0, fixture.Node.Withdrawals - before); // nothing was sent that the app would refuse
        Assert.Equal(creatorBefore, await BalanceAsync(creator.Address));

        await UpdateProgramAsync(creator, appId, SimulatedTipProxyPrograms.ApprovalV2);
        var creatorUpgraded = await BalanceAsync(creator.Address);
        await payouts.CheckAsync();

        var paid = Assert.Single((await payouts.GetAsync(10)).Payouts);
        Assert.Equal((skipped.Period, PayoutStatus.Paid, (6 * Algo) - AppMinBalance, skipped.RecordedAt),
            (paid.Period, paid.Status, paid.AmountMicroAlgo, paid.RecordedAt));
        Assert.Equal(creatorUpgraded + paid.AmountMicroAlgo, await BalanceAsync(creator.Address));
    }

    [Fact]
    public async Task A_week_with_too_little_to_pay_is_settled_without_a_transaction()
    {
        var (_, appId, payouts) = await NewCreatorAsync();
        await FundAppAsync(appId, AppMinBalance + 50_000);
        await payouts.SetScheduleAsync(new PayoutSchedule(PayoutMode.Weekly));
        NextWeek();

        await payouts.CheckAsync();
        await FundAppAsync(appId, 5 * Algo); // arrives after the week was settled
        await payouts.CheckAsync();

        var settled = Assert.Single((await payouts.GetAsync(10)).Payouts);
        Assert.Equal((PayoutStatus.NothingToPay, 50_000L, (string?)null), (settled.Status, settled.AmountMicroAlgo, settled.TxId));
        Assert.Empty(await WithdrawalsOnChainAsync(appId));
    }

    [Fact]
    public async Task Setting_the_same_schedule_again_changes_nothing_and_off_pays_nothing()
    {
        var (_, appId, payouts) = await NewCreatorAsync();
        await FundAppAsync(appId, 9 * Algo);

        var first = await payouts.SetScheduleAsync(new PayoutSchedule(PayoutMode.Threshold, 2 * Algo));
        fixture.Clock.Advance(TimeSpan.FromMinutes(5));
        var again = await payouts.SetScheduleAsync(new PayoutSchedule(PayoutMode.Threshold, 2 * Algo));
        var off = await payouts.SetScheduleAsync(new PayoutSchedule(PayoutMode.Off));
        await payouts.CheckAsync();

        Assert.Equal((true, false, true), (first.Changed, again.Changed, off.Changed));
        Assert.Equal((first.View.Schedule, first.View.Since), (again.View.Schedule, again.View.Since));
        Assert.Equal(new PayoutSchedule(PayoutMode.Off), off.View.Schedule);
        Assert.Empty((await payouts.GetAsync(10)).Payouts);
        Assert.Empty(await WithdrawalsOnChainAsync(appId));
        var invalid = await Assert.ThrowsAsync<DomainException>(() => payouts.SetScheduleAsync(new PayoutSchedule(PayoutMode.Threshold, 10)));
        Assert.Equal(PayoutErrors.InvalidPayoutSchedule, invalid.Code);
        Assert.Equal(new PayoutSchedule(PayoutMode.Off), (await payouts.GetAsync(10)).Schedule);
    }
}

/// <summary>The reminder alone runs the schedule: a cluster whose reminders may tick every second, and nobody calls Check.</summary>
public sealed class CreatorPayoutsReminderTests : IAsyncLifetime
{
    private InProcessTestCluster cluster = null!;

    public async Task InitializeAsync() => cluster = await TestClusters.StartAsync(1, new AlgorandSettings(), services =>
    {
        services.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
        services.Configure<PayoutOptions>(o => o.CheckInterval = TimeSpan.FromSeconds(1));
    });

    public async Task DisposeAsync() => await cluster.DisposeAsync();

    [Fact]
    public async Task A_threshold_reached_is_paid_by_the_reminder()
    {
        var creator = new TestWallet(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var app = (await cluster.Client.GetGrain<ICreator>(creator.Address).RegisterAsync(new RegisterCreator(null, 500_000))).Contract!;
        var payouts = cluster.Client.GetGrain<ICreatorPayouts>(creator.Address);
        await payouts.SetScheduleAsync(new PayoutSchedule(PayoutMode.Threshold, 1_000_000));

        await cluster.Client.GetGrain<ISimulatedLedger>(ISimulatedLedger.Key).FundAsync(app.AppAddress, 3_000_000);

        var view = await ClusterHosts.EventuallyAsync(
            () => payouts.GetAsync(10), v => v.Payouts.Any(p => p.Status == PayoutStatus.Paid), TimeSpan.FromSeconds(15), "the reminder's payout");
        Assert.Equal(("threshold-1", 2_900_000L), (view.Payouts[0].Period, view.Payouts[0].AmountMicroAlgo));
        Assert.Equal(2_900_000UL, (await cluster.Client.GetGrain<ISimulatedLedger>(ISimulatedLedger.Key).GetAccountAsync(creator.Address)).Amount);
        Assert.Equal("withdraw", Encoding.ASCII.GetString(
            (await cluster.Client.GetGrain<ISimulatedLedger>(ISimulatedLedger.Key).LookupTransactionAsync(view.Payouts[0].TxId!))!.ApplicationArgs[0]));
    }
}
