using FanForge.Grains.Algorand;
using FanForge.Grains.Algorand.Clients;
using FanForge.Grains.Algorand.Simulation;
using static FanForge.Tests.Algorand.Simulation.ChainHarness;

namespace FanForge.Tests.Algorand.Simulation;

/// <summary>The node-side checks of the simulated ledger: encoding, signatures, groups, genesis, rounds, fees, balances.</summary>
public sealed class SimulatedChainTests
{
    private readonly ChainHarness harness = new();

    private SimulatedChain Chain => harness.Chain;

    [Fact]
    public void A_payment_moves_the_amount_charges_the_fee_and_confirms_in_the_next_round()
    {
        var (alice, bob) = (harness.NewWallet(5 * Algo), ChainHarness.NewSigner());
        var before = Chain.LastRound;

        var txId = Accepted(harness.Submit(harness.Pay(alice.Address, bob.Address, 2 * Algo), alice));

        Assert.Equal(3 * Algo - 1000, Chain.Balance(alice.Address));
        Assert.Equal(2 * Algo, Chain.Balance(bob.Address));
        var pending = Chain.GetPending(txId);
        Assert.NotNull(pending);
        Assert.True(pending.IsConfirmed);
        Assert.Equal(before + 1, pending.ConfirmedRound);
        Assert.Equal(before + 1, Chain.GetStatus().LastRound);
        var account = Chain.GetAccount(bob.Address);
        Assert.Equal((2 * Algo, 100_000UL), (account.Amount, account.MinBalance));
        Assert.Null(Chain.GetPending("NOTATXID"));
    }

    [Fact]
    public void The_platform_starts_rich_and_funds_with_visible_payments()
    {
        Assert.Equal(1_000_000_000_000UL, Chain.Balance(harness.Platform.Address));
        var fan = ChainHarness.NewSigner();

        var txId = Accepted(Chain.Fund(fan.Address, 7 * Algo));

        Assert.Equal(7 * Algo, Chain.Balance(fan.Address));
        var lookup = Chain.LookupTransaction(txId);
        Assert.NotNull(lookup);
        Assert.Equal(("pay", harness.Platform.Address.ToString(), 7 * Algo, fan.Address.ToString()), (lookup.TxType, lookup.Sender, lookup.PaymentAmount!.Value, lookup.PaymentReceiver));
        Assert.Equal(1_000_000_000_000UL - (7 * Algo) - 1000, Chain.Balance(harness.Platform.Address));
    }

    [Fact]
    public void Spending_below_the_minimum_balance_is_an_overspend_but_closing_to_zero_is_allowed()
    {
        var (alice, bob) = (harness.NewWallet(1 * Algo), harness.NewWallet());

        Rejected(harness.Submit(harness.Pay(alice.Address, bob.Address, Algo - 50_000), alice), "overspend");
        Rejected(harness.Submit(harness.Pay(alice.Address, bob.Address, 5 * Algo), alice), "overspend");
        Accepted(harness.Submit(harness.Pay(alice.Address, bob.Address, Algo - 100_000 - 1000), alice));
        Assert.Equal(100_000UL, Chain.Balance(alice.Address));

        Accepted(harness.Submit(harness.Pay(alice.Address, bob.Address, 0) with { CloseRemainderTo = bob.Address }, alice));

        Assert.Equal(0UL, Chain.Balance(alice.Address));
        Assert.Equal(10 * Algo + Algo - 2000, Chain.Balance(bob.Address));
    }

    [Fact]
    public void A_receiver_left_below_its_minimum_balance_is_refused()
    {
        var alice = harness.NewWallet();

        Rejected(harness.Submit(harness.Pay(alice.Address, ChainHarness.NewSigner().Address, 1000), alice), "below min 100000");
    }

    [Fact]
    public void The_same_signed_bytes_twice_are_already_in_the_ledger()
    {
        var alice = harness.NewWallet();
        var body = Body((harness.Pay(alice.Address, harness.Platform.Address, Algo), alice));

        var txId = Accepted(Chain.Submit(body));
        var message = Rejected(Chain.Submit(body), "already in ledger");

        Assert.Equal($"TransactionPool.Remember: transaction already in ledger: {txId}", message);
        Assert.Equal(10 * Algo - Algo - 1000, Chain.Balance(alice.Address));
    }

    [Fact]
    public void A_signature_by_another_key_fails_verification()
    {
        var (alice, mallory) = (harness.NewWallet(), harness.NewWallet());
        var payment = harness.Pay(alice.Address, mallory.Address, Algo);
        var forged = new SignedTransaction(payment, mallory.Sign(payment.BytesToSign)).Encode();

        Rejected(Chain.Submit(forged), "At least one signature didn't pass verification");
        Assert.Equal(10 * Algo, Chain.Balance(alice.Address));
    }

    [Fact]
    public void Garbage_is_a_msgpack_decode_error()
    {
        Rejected(Chain.Submit([0x82, 0xa3, 0x73]), "msgpack decode error");
        Rejected(Chain.Submit([]), "msgpack decode error");
    }

    [Fact]
    public void A_group_sent_partly_or_reordered_or_altered_is_incomplete()
    {
        var (alice, bob) = (harness.NewWallet(), harness.NewWallet());
        var members = TransactionGroup.AssignGroup([harness.Pay(alice.Address, bob.Address, Algo), harness.Pay(bob.Address, alice.Address, Algo)]);
        var first = SignedTransaction.Sign(members[0], alice).Encode();
        var second = SignedTransaction.Sign(members[1], bob).Encode();
        var altered = SignedTransaction.Sign(members[1] with { Amount = 2 * Algo }, bob).Encode();

        Rejected(Chain.Submit(first), "incomplete group");
        Rejected(Chain.Submit([.. second, .. first]), "incomplete group");
        Rejected(Chain.Submit([.. first, .. altered]), "incomplete group");
        Accepted(Chain.Submit([.. first, .. second]));
    }

    [Fact]
    public void Another_network_is_refused()
    {
        var alice = harness.NewWallet();
        var payment = harness.Pay(alice.Address, harness.Platform.Address, Algo);

        Rejected(harness.Submit(payment with { GenesisId = "mainnet-v1.0" }, alice), "genesis ID mismatch");
        Rejected(harness.Submit(payment with { GenesisHash = Convert.FromBase64String("wGHE2Pwdvd7S12BL5FaOP20EGYesN73ktiC1qzkkit8=") }, alice), "genesis hash mismatch");
        Rejected(harness.Submit(payment with { GenesisHash = ReadOnlyMemory<byte>.Empty }, alice), "genesis hash mismatch");
    }

    [Fact]
    public void Validity_windows_are_enforced_and_a_future_first_valid_moves_the_chain_there()
    {
        var alice = harness.NewWallet();
        harness.Chain.AdvanceRounds(2000);
        var round = Chain.LastRound;
        var payment = harness.Pay(alice.Address, harness.Platform.Address, Algo);

        var dead = Rejected(harness.Submit(payment with { FirstValid = round - 1500, LastValid = round - 500 }, alice), "txn dead");
        Assert.Equal($"TransactionPool.Remember: txn dead: round {round + 1} outside of {round - 1500}--{round - 500}", dead);
        Rejected(harness.Submit(payment with { LastValid = payment.FirstValid + 1001 }, alice), "window size excessive");

        var txId = Accepted(harness.Submit(payment with { FirstValid = round + 500, LastValid = round + 1500 }, alice));
        Assert.Equal(round + 500, Chain.GetPending(txId)!.ConfirmedRound);
        Assert.Equal(round + 500, Chain.LastRound);
    }

    [Fact]
    public void Fees_pool_across_the_group_but_the_total_must_cover_every_transaction()
    {
        var creator = harness.NewWallet();
        var appId = harness.DeployTipProxy(creator);
        var fan = harness.NewWallet();
        var (payment, call) = FrontendTip(fan.Address, appId, Algo, "");

        Accepted(harness.Submit((payment with { Fee = 0 }, fan), (call with { Fee = 2000 }, fan)));
        var low = Rejected(harness.Submit((payment with { Fee = 0 }, fan), (call with { Fee = 1999 }, fan)), "in fees");
        Assert.Equal("TransactionPool.Remember: txgroup had 1999 in fees, which is less than the minimum 2 * 1000", low);
        Rejected(harness.Submit(harness.Pay(fan.Address, creator.Address, Algo, fee: 999), fan), "less than the minimum 1 * 1000");
    }

    [Fact]
    public void A_group_applies_entirely_or_not_at_all()
    {
        var (alice, bob) = (harness.NewWallet(), harness.NewWallet());
        var payment = harness.Pay(alice.Address, bob.Address, 3 * Algo);
        var transferOfNothing = harness.Header(TransactionType.AssetTransfer, alice.Address) with { TransferAssetId = 999_999, AssetReceiver = bob.Address, AssetAmount = 1 };
        var round = Chain.LastRound;

        Rejected(harness.Submit((payment, alice), (transferOfNothing, alice)), "asset 999999 does not exist");

        Assert.Equal((10 * Algo, 10 * Algo), (Chain.Balance(alice.Address), Chain.Balance(bob.Address)));
        Assert.Equal(round, Chain.LastRound);
        Assert.Null(Chain.GetPending(TransactionGroup.AssignGroup([payment, transferOfNothing])[0].TxId));
    }

    [Fact]
    public void A_later_member_overspending_what_an_earlier_one_received_rolls_both_back()
    {
        var (alice, bob) = (harness.NewWallet(), ChainHarness.NewSigner());

        Rejected(harness.Submit((harness.Pay(alice.Address, bob.Address, Algo), alice), (harness.Pay(bob.Address, alice.Address, 2 * Algo), bob)), "overspend");

        Assert.Equal((10 * Algo, 0UL), (Chain.Balance(alice.Address), Chain.Balance(bob.Address)));
    }

    [Fact]
    public void Auto_fund_credits_a_new_sender_once()
    {
        var funded = new ChainHarness(autoFund: 5 * Algo);
        var fan = ChainHarness.NewSigner();

        Accepted(funded.Submit(funded.Pay(fan.Address, funded.Platform.Address, Algo), fan));
        Accepted(funded.Submit(funded.Pay(fan.Address, funded.Platform.Address, Algo), fan));

        Assert.Equal(5 * Algo - (2 * Algo) - 2000, funded.Chain.Balance(fan.Address));
        Rejected(harness.Submit(harness.Pay(fan.Address, harness.Platform.Address, Algo), fan), "overspend");
    }

    [Fact]
    public void Status_reports_time_since_the_last_round_from_the_injected_clock()
    {
        harness.Time.Advance(TimeSpan.FromSeconds(7));

        Assert.Equal(TimeSpan.FromSeconds(7), Chain.GetStatus().TimeSinceLastRound);
        var parameters = Chain.GetParams();
        Assert.Equal(("testnet-v1.0", 1000UL, 0UL, 1000UL), (parameters.GenesisId, parameters.LastRound, parameters.FeePerByte, parameters.MinFee));
        Assert.Equal(SimulatedChainOptions.TestNetGenesisHash, Convert.ToBase64String(parameters.GenesisHash));
    }

    [Fact]
    public void Ids_of_assets_and_applications_come_from_one_counter_from_1001()
    {
        var creator = harness.NewWallet();
        var create = harness.Header(TransactionType.AssetConfig, creator.Address) with { AssetParams = new AssetParams { Total = 10, UnitName = "T" } };

        var assetId = Chain.GetPending(Accepted(harness.Submit(create, creator)))!.AssetIndex;
        var appId = harness.DeployTipProxy(creator);

        Assert.Equal((1001UL, 1002UL), (assetId!.Value, appId));
        Assert.Equal(100_000UL + 100_000 + 342_500, Chain.GetAccount(creator.Address).MinBalance);
    }

    [Fact]
    public void Oversized_notes_rekeys_and_a_member_sent_twice_are_refused()
    {
        var alice = harness.NewWallet();
        var payment = harness.Pay(alice.Address, harness.Platform.Address, Algo);

        Rejected(harness.Submit(payment with { Note = new byte[1025] }, alice), "note too big");
        Rejected(harness.Submit(payment with { RekeyTo = harness.Platform.Address }, alice), "rekeying is not supported");
        var twice = Rejected(harness.Submit((payment, alice), (payment, alice)), "appears more than once");
        Assert.DoesNotContain("already in ledger", twice, StringComparison.Ordinal);
        Accepted(harness.Submit(payment with { Note = new byte[1024] }, alice));
    }

    [Fact]
    public void A_round_search_returns_exactly_the_range_in_round_and_offset_order_across_pages()
    {
        var alice = harness.NewWallet(50 * Algo);
        var bob = ChainHarness.NewSigner();
        var start = Chain.LastRound; // alice's faucet payment, sealed in a round before the range
        var (first, second) = (harness.Pay(alice.Address, harness.Platform.Address, Algo), harness.Pay(alice.Address, harness.Platform.Address, 2 * Algo));
        var inRange = new List<string>
        {
            Accepted(harness.Submit(first, alice)),
            Accepted(harness.Submit(second, alice)),
            Accepted(Chain.Fund(bob.Address, 3 * Algo)), // the faucet joins the open round like any payment
        };
        _ = Chain.GetStatus();
        inRange.Add(Accepted(harness.Submit(harness.Pay(alice.Address, bob.Address, Algo), alice)));
        Chain.AdvanceRounds(2);
        inRange.Add(Accepted(harness.Submit(harness.Pay(bob.Address, alice.Address, Algo), bob)));
        _ = Chain.GetStatus();
        var beyond = Accepted(harness.Submit(harness.Pay(alice.Address, bob.Address, Algo), alice));

        var pages = SearchAllRounds(start + 1, start + 5, limit: 2);

        Assert.Equal([2, 2, 1, 0], pages.Select(p => p.Transactions.Count));
        var rows = pages.SelectMany(p => p.Transactions).ToList();
        Assert.Equal(inRange, rows.Select(r => r.Id));
        Assert.Equal(
            [(start + 1, 0UL), (start + 1, 1UL), (start + 1, 2UL), (start + 2, 0UL), (start + 5, 0UL)],
            rows.Select(r => (r.ConfirmedRound!.Value, r.IntraRoundOffset!.Value)));
        Assert.All(pages, p => Assert.Equal(start + 6, p.CurrentRound));
        Assert.Null(pages[^1].NextToken);
        var faucet = rows[2];
        Assert.Equal(("pay", harness.Platform.Address.ToString(), 3 * Algo, bob.Address.ToString()), (faucet.TxType, faucet.Sender, faucet.PaymentAmount!.Value, faucet.PaymentReceiver));
        Assert.Equal("FanForge simulated faucet"u8.ToArray(), faucet.Note);
        Assert.All(rows, r => Assert.Null(r.ApprovalProgram));

        Assert.Equal([beyond], Chain.SearchRounds(start + 6, start + 6, null, 10).Transactions.Select(t => t.Id));
        Assert.Equal(alice.Address.ToString(), Assert.Single(Chain.SearchRounds(start, start, null, 10).Transactions).PaymentReceiver);
        var empty = Chain.SearchRounds(start + 3, start + 4, null, 10);
        Assert.Empty(empty.Transactions);
        Assert.Null(empty.NextToken);
        Assert.Equal(7, Chain.SearchRounds(0, ulong.MaxValue, null, 0).Transactions.Count);
        Assert.Throws<ArgumentException>(() => Chain.SearchRounds(start + 2, start + 1, null, 10));
        Assert.Throws<ArgumentException>(() => Chain.SearchRounds(start, start + 6, "not a token", 10));
    }

    [Fact]
    public void A_round_search_seals_the_open_round_so_a_round_once_read_never_grows()
    {
        var alice = harness.NewWallet();
        var (first, second) = (harness.Pay(alice.Address, harness.Platform.Address, Algo), harness.Pay(alice.Address, harness.Platform.Address, 2 * Algo));
        var round = Chain.LastRound + 1;

        var firstId = Accepted(harness.Submit(first, alice));
        var read = Chain.SearchRounds(round, round, null, 10);
        var secondId = Accepted(harness.Submit(second, alice));

        Assert.Equal([firstId], read.Transactions.Select(t => t.Id));
        Assert.Equal(round, read.CurrentRound);
        Assert.Equal([firstId], Chain.SearchRounds(round, round, null, 10).Transactions.Select(t => t.Id));
        Assert.Equal(round + 1, Chain.LookupTransaction(secondId)!.ConfirmedRound);
    }

    /// <summary>Pages through a round search the way a follower does: until a page comes back empty.</summary>
    private List<IndexerTransactionPage> SearchAllRounds(ulong minRound, ulong maxRound, int limit)
    {
        var pages = new List<IndexerTransactionPage>();
        string? next = null;
        do
        {
            var page = Chain.SearchRounds(minRound, maxRound, next, limit);
            pages.Add(page);
            next = page.NextToken;
            if (page.Transactions.Count == 0)
            {
                break;
            }
        }
        while (pages.Count < 20);

        return pages;
    }
}
