using System.Text;
using FanForge.Grains.Algorand;
using FanForge.Grains.Algorand.Clients;
using FanForge.Grains.Algorand.Simulation;
using static FanForge.Tests.Algorand.Simulation.ChainHarness;

namespace FanForge.Tests.Algorand.Simulation;

/// <summary>TipProxy as the simulation implements it, driven by exactly what the frontend and the backend send.</summary>
public sealed class TipProxySimulationTests
{
    private readonly ChainHarness harness = new();

    private SimulatedChain Chain => harness.Chain;

    [Fact]
    public void The_frontend_tip_group_is_accepted_logged_and_indexed_under_the_app_call_txid()
    {
        var creator = harness.NewWallet();
        var appId = harness.DeployTipProxy(creator, minTip: 500_000);
        var fan = harness.NewWallet();
        var (payment, call) = FrontendTip(fan.Address, appId, 5 * Algo, "MEMBERSHIP:BAUNI");
        var grouped = TransactionGroup.AssignGroup([payment, call]);
        var body = Body((payment, fan), (call, fan));

        var submitted = Accepted(Chain.Submit(body));

        Assert.Equal(grouped[0].TxId, submitted);
        Assert.True(Chain.LastRound >= TestNetFirstValid);
        var appCall = Chain.GetPending(grouped[1].TxId);
        Assert.NotNull(appCall);
        var log = Assert.Single(appCall.Logs);
        Assert.Equal([.. fan.Address.PublicKey, .. UInt64(5 * Algo), .. "MEMBERSHIP:BAUNI"u8], log);
        Assert.Equal(appCall.ConfirmedRound, Chain.GetPending(submitted)!.ConfirmedRound);

        var page = Chain.SearchApplicationCalls(appId, TestNetFirstValid, next: null, limit: 100);
        var row = Assert.Single(page.Transactions);
        Assert.Equal(grouped[1].TxId, row.Id);
        Assert.NotEqual(submitted, row.Id);
        Assert.Equal(("appl", fan.Address.ToString(), 3000UL, "noop", appId), (row.TxType, row.Sender, row.Fee, row.OnCompletion, row.ApplicationId!.Value));
        Assert.Equal((Chain.LastRound, 1UL), (row.ConfirmedRound!.Value, row.IntraRoundOffset!.Value));
        Assert.Equal(harness.Time.GetUtcNow(), row.RoundTime);
        Assert.Equal(grouped[1].Group.ToArray(), row.Group);
        Assert.Equal(["tip"u8.ToArray(), "MEMBERSHIP:BAUNI"u8.ToArray()], row.ApplicationArgs);
        Assert.Equal(log, Assert.Single(row.Logs));
        Assert.Empty(row.InnerTransactions);
        Assert.Equal(Chain.LastRound, page.CurrentRound);
        Assert.NotNull(page.NextToken);

        // Tips accumulate in the app account; the counters follow.
        Assert.Equal(5 * Algo, Chain.Balance(AlgorandAddress.ForApplication(appId)));
        Assert.Equal((1UL, 5 * Algo), (harness.GlobalUint(appId, "total_tips"), harness.GlobalUint(appId, "total_amount")));
        Assert.Equal(10 * Algo - (5 * Algo) - 4000, Chain.Balance(fan.Address));
    }

    [Fact]
    public void A_tip_without_a_memo_logs_just_the_fan_and_the_amount()
    {
        var appId = harness.DeployTipProxy(harness.NewWallet());
        var fan = harness.NewWallet();
        var (payment, call) = FrontendTip(fan.Address, appId, 2 * Algo, "");

        var callTxId = TransactionGroup.AssignGroup([payment, call with { ApplicationArgs = ["tip"u8.ToArray()] }])[1].TxId;
        Accepted(harness.Submit((payment, fan), (call with { ApplicationArgs = ["tip"u8.ToArray()] }, fan)));

        Assert.Equal(40, Assert.Single(Chain.GetPending(callTxId)!.Logs).Length);
    }

    [Fact]
    public void Creation_records_TipProxy_global_state_and_the_app_account()
    {
        var creator = harness.NewWallet();

        var appId = harness.DeployTipProxy(creator, minTip: 750_000);

        var app = Chain.GetApplication(appId);
        Assert.NotNull(app);
        Assert.Equal(creator.Address.ToString(), app.Creator);
        Assert.Equal(creator.Address.PublicKey, Global(app, "creator")!.Bytes);
        Assert.Equal(harness.Platform.Address.PublicKey, Global(app, "platform")!.Bytes);
        Assert.Equal(
            [("min_tip", 750_000UL), ("paused", 0UL), ("total_amount", 0UL), ("total_tips", 0UL), ("version", 1UL)],
            app.GlobalState.Where(e => e.Value.Type == TealValueType.Uint)
                .Select(e => (Encoding.ASCII.GetString(e.Key), e.Value.Uint)));
    }

    [Fact]
    public void Creation_with_the_wrong_arguments_or_schema_is_a_logic_eval_error()
    {
        var creator = harness.NewWallet();
        var create = harness.CreateTipProxy(creator, creator.Address, Algo);

        Rejected(harness.Submit(create with { ApplicationArgs = create.ApplicationArgs.Take(3).ToArray() }, creator), "logic eval error");
        Rejected(harness.Submit(create with { ApplicationArgs = [new byte[31], .. create.ApplicationArgs.Skip(1)] }, creator), "logic eval error");
        Rejected(harness.Submit(create with { GlobalSchema = new StateSchema(4, 2) }, creator), "logic eval error");
    }

    [Fact]
    public void Tips_below_the_minimum_to_a_paused_app_or_without_the_right_payment_are_refused()
    {
        var creator = harness.NewWallet();
        var appId = harness.DeployTipProxy(creator, minTip: Algo);
        var (fan, other) = (harness.NewWallet(), harness.NewWallet());
        var (payment, call) = FrontendTip(fan.Address, appId, Algo, "hi");

        Rejected(harness.Tip(fan, appId, Algo - 1), "logic eval error");
        Rejected(harness.Submit(call, fan), "logic eval error");
        Rejected(harness.Submit((payment with { Receiver = creator.Address }, fan), (call, fan)), "logic eval error");
        Rejected(harness.Submit((payment with { Sender = other.Address }, other), (call, fan)), "logic eval error");
        Rejected(harness.Submit((call, fan), (payment, fan)), "logic eval error");

        Accepted(harness.Submit(Pause(creator, appId, "pause"), creator));
        Rejected(harness.Tip(fan, appId, 2 * Algo), "paused");
        Accepted(harness.Submit(Pause(creator, appId, "unpause"), creator));
        Accepted(harness.Tip(fan, appId, 2 * Algo));

        Assert.Equal((1UL, 2 * Algo), (harness.GlobalUint(appId, "total_tips"), harness.GlobalUint(appId, "total_amount")));
        Assert.Equal(10 * Algo - (2 * Algo) - 4000, Chain.Balance(fan.Address));
    }

    [Fact]
    public void Only_the_creator_pauses_changes_the_minimum_updates_or_deletes()
    {
        var creator = harness.NewWallet();
        var appId = harness.DeployTipProxy(creator, minTip: Algo);
        var fan = harness.NewWallet();
        var update = Pause(creator, appId, "update_min_tip") with { ApplicationArgs = ["update_min_tip"u8.ToArray(), UInt64(100_000)] };

        Rejected(harness.Submit(Pause(fan, appId, "pause"), fan), "logic eval error");
        Rejected(harness.Submit(update with { Sender = fan.Address }, fan), "logic eval error");
        Accepted(harness.Submit(update, creator));
        Assert.Equal(100_000UL, harness.GlobalUint(appId, "min_tip"));
        Accepted(harness.Tip(fan, appId, 100_000));

        var delete = Pause(creator, appId, "") with { ApplicationArgs = [], OnCompletion = OnCompletion.DeleteApplication };
        var upgrade = Update(creator, appId, [0x0a, 0x02]);
        Rejected(harness.Submit(delete with { Sender = fan.Address }, fan), "logic eval error");
        Rejected(harness.Submit(upgrade with { Sender = fan.Address }, fan), "logic eval error");
        Accepted(harness.Submit(upgrade, creator));
        Accepted(harness.Submit(delete, creator));

        Assert.Null(Chain.GetApplication(appId));
        Assert.Equal(100_000UL, Chain.Balance(AlgorandAddress.ForApplication(appId)));
        Assert.Equal(100_000UL, Chain.GetAccount(creator.Address).MinBalance);
        Rejected(harness.Tip(fan, appId, Algo), "does not exist");
        Assert.Equal(5, Chain.SearchApplicationCalls(appId, 0, null, 100).Transactions.Count);
    }

    [Fact]
    public void The_creators_update_replaces_the_programs_in_place_and_adds_one_to_the_version_each_time()
    {
        var creator = harness.NewWallet();
        var appId = harness.DeployTipProxy(creator, minTip: Algo);
        var fan = harness.NewWallet(100 * Algo);
        Accepted(harness.Tip(fan, appId, 2 * Algo));
        Accepted(harness.Submit(Pause(creator, appId, "pause"), creator));
        var before = Chain.GetApplication(appId)!;

        Rejected(harness.Submit(Update(creator, appId, [0x0a, 0x02]) with { Sender = fan.Address }, fan), "only the creator");
        Rejected(harness.Submit(Update(creator, appId, [0x0a, 0x02]) with { ClearStateProgram = default }, creator), "invalid program (empty)");
        Rejected(harness.Submit(Update(creator, appId, [0x0a, 0x02]) with { ApprovalProgram = default }, creator), "invalid program (empty)");
        Assert.Equal(1UL, harness.GlobalUint(appId, "version"));
        Assert.Equal(before.ApprovalProgram, Chain.GetApplication(appId)!.ApprovalProgram);

        Accepted(harness.Submit(Update(creator, appId, [0x0a, 0x02]), creator));
        var second = Update(creator, appId, [0x0a, 0x03]);
        Accepted(harness.Submit(second, creator));
        Rejected(harness.Submit(second, creator), "already in ledger");

        var after = Chain.GetApplication(appId)!;
        Assert.Equal(3UL, harness.GlobalUint(appId, "version"));
        Assert.Equal(new byte[] { 0x0a, 0x03 }, after.ApprovalProgram);
        Assert.Equal(new byte[] { 0x0a, 0x03, 0x43 }, after.ClearStateProgram);
        Assert.Equal(before.Creator, after.Creator);
        // Everything but the version and the programs stays: the counters, the minimum, the pause, the balance.
        Assert.Equal(
            before.GlobalState.Where(e => Encoding.ASCII.GetString(e.Key) != "version").Select(e => (Encoding.ASCII.GetString(e.Key), e.Value.Uint, Convert.ToBase64String(e.Value.Bytes))),
            after.GlobalState.Where(e => Encoding.ASCII.GetString(e.Key) != "version").Select(e => (Encoding.ASCII.GetString(e.Key), e.Value.Uint, Convert.ToBase64String(e.Value.Bytes))));
        Assert.Equal(2 * Algo, Chain.Balance(AlgorandAddress.ForApplication(appId)));
        Accepted(harness.Submit(Pause(creator, appId, "unpause"), creator));
        Accepted(harness.Tip(fan, appId, Algo));
        Assert.Equal(2UL, harness.GlobalUint(appId, "total_tips"));
        Assert.Equal(
            ["noop", "noop", "noop", "update", "update", "noop", "noop"],
            Chain.SearchApplicationCalls(appId, 0, null, 100).Transactions.Select(t => t.OnCompletion));
    }

    [Fact]
    public void The_creator_withdraws_through_an_inner_payment_paid_for_by_pooling()
    {
        var creator = harness.NewWallet();
        var appId = harness.DeployTipProxy(creator);
        var fan = harness.NewWallet();
        Accepted(harness.Tip(fan, appId, 3 * Algo));
        var creatorBefore = Chain.Balance(creator.Address);
        var withdraw = Pause(creator, appId, "withdraw") with { ApplicationArgs = ["withdraw"u8.ToArray(), UInt64(2 * Algo)], Fee = 2000 };

        Rejected(harness.Submit(withdraw with { Sender = fan.Address }, fan), "logic eval error");
        Rejected(harness.Submit(withdraw with { Fee = 1000 }, creator), "less than the minimum 2 * 1000");
        Rejected(harness.Submit(withdraw with { ApplicationArgs = ["withdraw"u8.ToArray(), UInt64((3 * Algo) - 99_999)] }, creator), "minimum balance");
        var txId = Accepted(harness.Submit(withdraw, creator));

        Assert.Equal(creatorBefore + (2 * Algo) - 2000, Chain.Balance(creator.Address));
        Assert.Equal(Algo, Chain.Balance(AlgorandAddress.ForApplication(appId)));
        Assert.Single(Chain.GetPending(txId)!.InnerTransactions);
        var inner = Assert.Single(Chain.LookupTransaction(txId)!.InnerTransactions);
        Assert.Equal(("pay", AlgorandAddress.ForApplication(appId).ToString(), 0UL, 2 * Algo, creator.Address.ToString(), (string?)null),
            (inner.TxType, inner.Sender, inner.Fee, inner.PaymentAmount!.Value, inner.PaymentReceiver, inner.Id));
    }

    [Fact]
    public void Groups_submitted_between_two_reads_share_one_round_in_submission_order()
    {
        var appId = harness.DeployTipProxy(harness.NewWallet());
        var fan = harness.NewWallet(100 * Algo);
        var calls = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var (payment, call) = FrontendTip(fan.Address, appId, Algo, $"burst {i}");
            calls.Add(TransactionGroup.AssignGroup([payment, call])[1].TxId);
            Accepted(harness.Submit((payment, fan), (call, fan)));
        }

        var rows = calls.Select(id => Chain.LookupTransaction(id)!).ToList();

        Assert.Single(rows.Select(r => r.ConfirmedRound).Distinct());
        Assert.Equal([1UL, 3UL, 5UL], rows.Select(r => r.IntraRoundOffset!.Value)); // each after its own payment
        Assert.Equal(rows[0].ConfirmedRound, Chain.LastRound);
    }

    [Fact]
    public void The_indexer_pages_by_round_and_intra_with_an_inclusive_min_round()
    {
        var appId = harness.DeployTipProxy(harness.NewWallet());
        var fan = harness.NewWallet(100 * Algo);
        var tipIds = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var (payment, call) = FrontendTip(fan.Address, appId, Algo, $"tip {i}");
            tipIds.Add(TransactionGroup.AssignGroup([payment, call])[1].TxId);
            Accepted(harness.Submit((payment, fan), (call, fan)));
            _ = Chain.GetStatus(); // a read seals the open round, so each tip lands in a round of its own
        }

        var firstTipRound = Chain.LookupTransaction(tipIds[0])!.ConfirmedRound!.Value;

        var first = Chain.SearchApplicationCalls(appId, firstTipRound, null, 2);
        var second = Chain.SearchApplicationCalls(appId, firstTipRound, first.NextToken, 2);
        var third = Chain.SearchApplicationCalls(appId, firstTipRound, second.NextToken, 2);

        Assert.Equal(tipIds[..2], first.Transactions.Select(t => t.Id));
        Assert.Equal([tipIds[2]], second.Transactions.Select(t => t.Id));
        Assert.Empty(third.Transactions);
        Assert.Null(third.NextToken);
        Assert.NotNull(second.NextToken);
        Assert.Equal([tipIds[1], tipIds[2]], Chain.SearchApplicationCalls(appId, firstTipRound + 1, null, 10).Transactions.Select(t => t.Id));
        Assert.Equal(4, Chain.SearchApplicationCalls(appId, 0, null, 10).Transactions.Count);
        Assert.Empty(Chain.SearchApplicationCalls(appId + 1, 0, null, 10).Transactions);
        Assert.Throws<ArgumentException>(() => Chain.SearchApplicationCalls(appId, 0, "not a token", 10));
    }

    [Fact]
    public void A_round_search_shows_the_tip_group_whole_and_the_programs_of_creates_and_updates()
    {
        var creator = harness.NewWallet();
        var create = harness.CreateTipProxy(creator, creator.Address, Algo);
        var createId = Accepted(harness.Submit(create, creator));
        var appId = Chain.GetPending(createId)!.ApplicationIndex!.Value;
        var fan = ChainHarness.NewSigner();
        var fundId = Accepted(Chain.Fund(fan.Address, 10 * Algo));
        var (payment, call) = FrontendTip(fan.Address, appId, 2 * Algo, "MEMBERSHIP:BAUNI");
        var grouped = TransactionGroup.AssignGroup([payment, call]);
        Accepted(harness.Submit((payment, fan), (call, fan)));
        var updateId = Accepted(harness.Submit(Update(creator, appId, [0x0a, 0x02]), creator));
        var createRound = Chain.LookupTransaction(createId)!.ConfirmedRound!.Value;

        var rows = Chain.SearchRounds(createRound, Chain.LastRound, null, 100).Transactions;

        // The creator's own faucet payment confirmed before the create, so the range starts at the create.
        Assert.Equal([createId, fundId, grouped[0].TxId, grouped[1].TxId, updateId], rows.Select(r => r.Id));
        var created = rows[0];
        Assert.Equal(("appl", 0UL, appId), (created.TxType, created.ApplicationId!.Value, created.CreatedApplicationId!.Value));
        Assert.Equal(new byte[] { 0x08, 0x81, 0x01 }, created.ApprovalProgram);

        var (tipPayment, tipCall) = (rows[2], rows[3]);
        Assert.Equal(tipPayment.ConfirmedRound, tipCall.ConfirmedRound);
        Assert.Equal(tipPayment.IntraRoundOffset + 1, tipCall.IntraRoundOffset);
        Assert.Equal(grouped[0].Group.ToArray(), tipPayment.Group);
        Assert.Equal(tipPayment.Group, tipCall.Group);
        Assert.Equal(("pay", 2 * Algo, AlgorandAddress.ForApplication(appId).ToString()), (tipPayment.TxType, tipPayment.PaymentAmount!.Value, tipPayment.PaymentReceiver));
        Assert.Equal(("appl", appId, "noop"), (tipCall.TxType, tipCall.ApplicationId!.Value, tipCall.OnCompletion));
        Assert.Equal([.. fan.Address.PublicKey, .. UInt64(2 * Algo), .. "MEMBERSHIP:BAUNI"u8], Assert.Single(tipCall.Logs));
        Assert.Null(tipPayment.ApprovalProgram);
        Assert.Null(tipCall.ApprovalProgram);
        Assert.Null(tipCall.CreatedApplicationId);

        var updated = rows[4];
        Assert.Equal(("update", appId, (ulong?)null), (updated.OnCompletion, updated.ApplicationId!.Value, updated.CreatedApplicationId));
        Assert.Equal(new byte[] { 0x0a, 0x02 }, updated.ApprovalProgram);

        // The program is a copy: a reader scribbling on it changes neither the ledger nor the next answer.
        created.ApprovalProgram![0] = 0xff;
        Assert.Equal(new byte[] { 0x08, 0x81, 0x01 }, Chain.SearchRounds(createRound, createRound, null, 1).Transactions[0].ApprovalProgram);
        Assert.Equal(new byte[] { 0x0a, 0x02 }, Chain.GetApplication(appId)!.ApprovalProgram);
    }

    /// <summary>An update to <paramref name="approval"/>, with that program plus <c>return</c> as the clear program.</summary>
    private Transaction Update(ITransactionSigner sender, ulong appId, byte[] approval) =>
        harness.Header(TransactionType.ApplicationCall, sender.Address) with
        {
            ApplicationId = appId,
            OnCompletion = OnCompletion.UpdateApplication,
            ApprovalProgram = approval,
            ClearStateProgram = (byte[])[.. approval, 0x43],
        };

    private Transaction Pause(ITransactionSigner sender, ulong appId, string method) =>
        harness.Header(TransactionType.ApplicationCall, sender.Address) with { ApplicationId = appId, ApplicationArgs = [Encoding.ASCII.GetBytes(method)] };
}
