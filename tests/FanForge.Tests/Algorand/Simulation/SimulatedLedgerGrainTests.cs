using System.ComponentModel.DataAnnotations;
using System.Net;
using FanForge.Grains.Algorand;
using FanForge.Grains.Algorand.Clients;
using FanForge.Grains.Algorand.Simulation;
using FanForge.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using static FanForge.Tests.Algorand.Simulation.ChainHarness;

namespace FanForge.Tests.Algorand.Simulation;

/// <summary>The ledger grain behind the node-client interfaces, across real grain calls (so every record is serialized).</summary>
[Collection(ClusterCollection.Name)]
public sealed class SimulatedLedgerGrainTests(InProcessClusterFixture cluster)
{
    private readonly SimulatedAlgodClient algod = new(cluster.Client);
    private readonly SimulatedIndexerClient indexer = new(cluster.Client);

    private ISimulatedLedger Ledger => cluster.Client.GetGrain<ISimulatedLedger>(ISimulatedLedger.Key);

    private async Task<Ed25519TransactionSigner> FundedWalletAsync()
    {
        var wallet = NewSigner();
        Assert.True((await Ledger.FundAsync(wallet.Address.ToString(), 10 * Algo)).IsAccepted);
        return wallet;
    }

    private async Task<Transaction> HeaderAsync(TransactionType type, AlgorandAddress sender)
    {
        var parameters = await algod.GetTransactionParamsAsync();
        return new Transaction
        {
            Type = type,
            Sender = sender,
            Fee = Math.Max(parameters.MinFee, parameters.FeePerByte),
            FirstValid = parameters.LastRound,
            LastValid = parameters.LastRound + 1000,
            GenesisId = parameters.GenesisId,
            GenesisHash = parameters.GenesisHash,
        };
    }

    [Fact]
    public async Task A_tip_submitted_through_the_algod_client_is_found_through_the_indexer_client()
    {
        var (creator, fan) = (await FundedWalletAsync(), await FundedWalletAsync());
        var create = (await HeaderAsync(TransactionType.ApplicationCall, creator.Address)) with
        {
            ApplicationArgs = [creator.Address.PublicKey, creator.Address.PublicKey, UInt64(Algo), UInt64(1)],
            GlobalSchema = SimulatedChain.TipProxySchema,
        };
        var createTxId = await algod.SubmitAsync(Body((create, creator)));
        var appId = (await algod.GetPendingTransactionAsync(createTxId))!.ApplicationIndex!.Value;
        var (payment, call) = FrontendTip(fan.Address, appId, 2 * Algo, "hello");
        var body = Body((payment, fan), (call, fan));
        var callTxId = TransactionGroup.AssignGroup([payment, call])[1].TxId;

        var paymentTxId = await algod.SubmitAsync(body);

        Assert.Equal(TransactionGroup.AssignGroup([payment, call])[0].TxId, paymentTxId);
        var pending = await algod.GetPendingTransactionAsync(callTxId);
        Assert.True(pending!.IsConfirmed);
        Assert.Equal([.. fan.Address.PublicKey, .. UInt64(2 * Algo), .. "hello"u8], Assert.Single(pending.Logs));
        var page = await indexer.SearchApplicationCallsAsync(appId, pending.ConfirmedRound!.Value, null, 10);
        var row = Assert.Single(page.Transactions);
        Assert.Equal((callTxId, fan.Address.ToString(), "noop"), (row.Id, row.Sender, row.OnCompletion));
        Assert.Equal(pending.Logs[0], Assert.Single(row.Logs));
        Assert.Empty((await indexer.SearchApplicationCallsAsync(appId, pending.ConfirmedRound!.Value, page.NextToken, 10)).Transactions);
        Assert.Equal(callTxId, (await indexer.LookupTransactionAsync(callTxId))!.Id);
        Assert.True(await indexer.GetHealthAsync() >= TestNetFirstValid);

        var app = await algod.GetApplicationAsync(appId);
        Assert.Equal(1UL, app!.FindGlobal("total_tips"u8)!.Uint);
        var appAccount = await algod.GetAccountAsync(AlgorandAddress.ForApplication(appId));
        Assert.Equal(2 * Algo, appAccount.Amount);
        Assert.Null(await algod.GetAssetAsync(appId + 1000));
        Assert.Null(await algod.GetAccountAssetAsync(fan.Address, 5));
        var status = await algod.WaitForBlockAfterAsync(pending.ConfirmedRound!.Value - 1);
        Assert.True(status.LastRound >= pending.ConfirmedRound);

        var duplicate = await Assert.ThrowsAsync<AlgorandNodeException>(() => algod.SubmitAsync(body));
        Assert.True(duplicate.IsAlreadyInLedger);
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
        Assert.Equal($"TransactionPool.Remember: transaction already in ledger: {paymentTxId}", duplicate.NodeMessage);
        Assert.False(duplicate.IsTransient);
    }

    [Fact]
    public async Task Rejections_and_unsupported_calls_look_like_a_real_nodes_errors()
    {
        var fan = await FundedWalletAsync();
        var overspend = (await HeaderAsync(TransactionType.Payment, fan.Address)) with { Receiver = NewSigner().Address, Amount = 100 * Algo };

        var refused = await Assert.ThrowsAsync<AlgorandNodeException>(() => algod.SubmitAsync(Body((overspend, fan))));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("overspend", refused.NodeMessage, StringComparison.Ordinal);
        Assert.False(refused.IsAlreadyInLedger);

        var compile = await Assert.ThrowsAsync<AlgorandNodeException>(() => algod.CompileTealAsync("#pragma version 8"));
        Assert.Equal(HttpStatusCode.NotFound, compile.StatusCode);
        var token = await Assert.ThrowsAsync<AlgorandNodeException>(() => indexer.SearchApplicationCallsAsync(1, 0, "bogus", 10));
        Assert.Equal(HttpStatusCode.BadRequest, token.StatusCode);
        Assert.Null(await algod.GetPendingTransactionAsync(TransactionGroup.AssignGroup([overspend])[0].TxId));
    }

    [Fact]
    public async Task A_round_search_through_the_indexer_client_carries_the_create_and_refuses_a_reversed_range_as_a_400()
    {
        var creator = await FundedWalletAsync();
        var create = (await HeaderAsync(TransactionType.ApplicationCall, creator.Address)) with
        {
            ApplicationArgs = [creator.Address.PublicKey, creator.Address.PublicKey, UInt64(Algo), UInt64(1)],
            GlobalSchema = SimulatedChain.TipProxySchema,
            ApprovalProgram = new byte[] { 0x0a, 0x81, 0x01 },
            ClearStateProgram = new byte[] { 0x0a, 0x81, 0x01 },
        };
        var createTxId = await algod.SubmitAsync(Body((create, creator)));
        var pending = await algod.GetPendingTransactionAsync(createTxId);
        var round = pending!.ConfirmedRound!.Value;

        // Other tests share this ledger, so only this create's row is asserted, not the whole round.
        var page = await indexer.SearchRoundsAsync(round, round, null, 1000);
        var row = Assert.Single(page.Transactions, t => t.Id == createTxId);
        Assert.Equal((round, pending.ApplicationIndex), (row.ConfirmedRound!.Value, row.CreatedApplicationId));
        Assert.Equal(new byte[] { 0x0a, 0x81, 0x01 }, row.ApprovalProgram);
        Assert.All(page.Transactions, t => Assert.Equal(round, t.ConfirmedRound));

        var reversed = await Assert.ThrowsAsync<AlgorandNodeException>(() => indexer.SearchRoundsAsync(round + 1, round, null, 10));
        Assert.Equal(HttpStatusCode.BadRequest, reversed.StatusCode);
        Assert.Contains("min-round must be less than max-round", reversed.NodeMessage, StringComparison.Ordinal);
        var token = await Assert.ThrowsAsync<AlgorandNodeException>(() => indexer.SearchRoundsAsync(round, round, "bogus", 10));
        Assert.Equal(HttpStatusCode.BadRequest, token.StatusCode);
    }

    [Fact]
    public async Task Waiting_for_a_block_returns_when_one_arrives_or_after_the_cap()
    {
        var shortWait = new SimulatedAlgodClient(cluster.Client, TimeSpan.FromMilliseconds(300));
        var round = (await shortWait.GetStatusAsync()).LastRound;

        Assert.Equal(round, (await shortWait.WaitForBlockAfterAsync(round)).LastRound);

        var waiting = algod.WaitForBlockAfterAsync(round);
        await Ledger.AdvanceRoundsAsync(1);
        Assert.True((await waiting).LastRound > round);
    }

    [Fact]
    public async Task The_di_extension_registers_both_clients()
    {
        var services = new ServiceCollection().AddSingleton<IGrainFactory>(cluster.Client).AddSimulatedAlgorand().BuildServiceProvider();

        Assert.IsType<SimulatedAlgodClient>(services.GetRequiredService<IAlgodClient>());
        Assert.IsType<SimulatedIndexerClient>(services.GetRequiredService<IIndexerClient>());
        Assert.True((await services.GetRequiredService<IAlgodClient>().GetStatusAsync()).LastRound > 0);
    }

    [Fact]
    public void Options_bind_from_configuration_with_the_platform_address_as_text()
    {
        var platform = NewSigner().Address;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{SimulatedChainOptions.SectionName}:Platform"] = platform.ToString(),
            [$"{SimulatedChainOptions.SectionName}:AutoFundMicroAlgo"] = "5000000",
        }).Build();

        var options = configuration.GetSection(SimulatedChainOptions.SectionName).Get<SimulatedChainOptions>()!;

        Assert.Equal((platform, 5_000_000UL, "testnet-v1.0", 1000UL), (options.Platform, options.AutoFundMicroAlgo, options.GenesisId, options.InitialRound));
        Assert.True(Validator.TryValidateObject(options, new ValidationContext(options), null, validateAllProperties: true));
        options.GenesisHash = "short";
        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), null, validateAllProperties: true));
    }
}
