using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using FanForge.Grains.Algorand;
using FanForge.Grains.Chain;
using FanForge.Tests.Algorand.Clients;
using FanForge.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace FanForge.Tests.Creators;

/// <summary>
/// The development host with <c>Algorand:Mode=Node</c> against <see cref="FakeAlgorandNode"/>: TipProxy's programs
/// come from its <c>/v2/teal/compile</c>. Every accepted submission is confirmed at once, a creation with a new app id.
/// </summary>
public sealed class NodeApiFactory : FanForgeApiFactory, IAsyncLifetime
{
    private long lastAppId = 700_000;

    public FakeAlgorandNode Node { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Node = await FakeAlgorandNode.StartAsync();
        Node.SubmitTxId = body =>
        {
            var signed = SignedTransaction.DecodeConcatenated(body)[0];
            Node.Pending[signed.TxId] = new JsonObject
            {
                ["pool-error"] = "",
                ["confirmed-round"] = Node.LastRound,
                ["application-index"] = signed.Transaction is { Type: TransactionType.ApplicationCall, ApplicationId: 0 } ? Interlocked.Increment(ref lastAppId) : null,
                ["txn"] = new JsonObject(),
            }.ToJsonString();
            return signed.TxId;
        };
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await Node.DisposeAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Algorand:Mode", "Node");
        builder.UseSetting("Algorand:AlgodUrl", Node.BaseUrl.ToString());
        builder.UseSetting("Algorand:IndexerUrl", Node.BaseUrl.ToString());
    }
}

/// <summary>Upgrade-contract against a real node's API: the programs it compiled and the version its app read gives.</summary>
public sealed class ContractUpgradeNodeTests(NodeApiFactory factory) : IClassFixture<NodeApiFactory>
{
    private static TestWallet NewWallet() => new(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    /// <summary>algod's <c>GET /v2/applications/{id}</c> for a TipProxy at <paramref name="version"/>.</summary>
    private static string Application(ulong appId, TestWallet creator, ulong version) => new JsonObject
    {
        ["id"] = appId,
        ["params"] = new JsonObject
        {
            ["creator"] = creator.Address,
            ["approval-program"] = "CiABAQ==",
            ["clear-state-program"] = "CoEBQw==",
            ["global-state"] = new JsonArray(
                new JsonObject { ["key"] = Convert.ToBase64String("version"u8), ["value"] = new JsonObject { ["type"] = 2, ["bytes"] = "", ["uint"] = version } },
                new JsonObject { ["key"] = Convert.ToBase64String("creator"u8), ["value"] = new JsonObject { ["type"] = 1, ["bytes"] = Convert.ToBase64String(AlgorandAddress.Parse(creator.Address).PublicKey), ["uint"] = 0 } }),
        },
    }.ToJsonString();

    [Fact]
    public async Task The_update_carries_the_programs_the_nodes_teal_compile_returned_and_the_next_version_after_algods()
    {
        var creator = NewWallet();
        var app = await factory.RegisterCreatorAsync(creator);
        factory.Node.Applications[app.AppId] = Application(app.AppId, creator, version: 4);
        var http = await factory.CreateClientAsync(creator);

        var upgrade = await HttpAssert.OkAsync(await http.PostAsync($"/creator/{creator.Address}/upgrade-contract", null));

        var update = Transaction.Decode(Convert.FromBase64String(upgrade.GetProperty("unsignedTxn").GetString()!));
        var compiled = factory.Node.RequestsTo("/v2/teal/compile").Select(request => Encoding.UTF8.GetString(request.Body)).ToList();
        Assert.Contains(CompiledTipProxyPrograms.ApprovalSource, compiled);
        Assert.Contains(CompiledTipProxyPrograms.ClearSource, compiled);
        // The fake compiles to a version byte followed by the source.
        Assert.Equal([10, .. Encoding.UTF8.GetBytes(CompiledTipProxyPrograms.ApprovalSource)], update.ApprovalProgram.ToArray());
        Assert.Equal([10, .. Encoding.UTF8.GetBytes(CompiledTipProxyPrograms.ClearSource)], update.ClearStateProgram.ToArray());
        Assert.Equal((OnCompletion.UpdateApplication, app.AppId, creator.Address, factory.Node.GenesisId, factory.Node.LastRound),
            (update.OnCompletion, update.ApplicationId, update.Sender.ToString(), update.GenesisId, update.FirstValid));
        Assert.Equal((5UL, "Sign this transaction with Pera Wallet to upgrade your TipProxy to v5"),
            (upgrade.GetProperty("newVersion").GetUInt64(), upgrade.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task A_creator_whose_deployment_failed_gets_the_same_404_from_upgrade_as_from_pause()
    {
        var creator = NewWallet();
        var http = await factory.CreateClientAsync(creator);
        factory.Node.Enqueue("POST", "/v2/transactions", FakeResponse.Error(400, "TransactionPool.Remember: transaction ABC: overspend"));
        var register = await http.PostAsJsonAsync("/creator/register", new { wallet_address = creator.Address, min_tip_algo = 0.5 });
        await HttpAssert.ErrorAsync(register, HttpStatusCode.BadRequest, ChainRejections.InsufficientFunds);

        var upgrade = await HttpAssert.ErrorAsync(await http.PostAsync($"/creator/{creator.Address}/upgrade-contract", null), HttpStatusCode.NotFound, "not_found");
        var pause = await HttpAssert.ErrorAsync(await http.PostAsync($"/creator/{creator.Address}/pause-contract", null), HttpStatusCode.NotFound, "not_found");

        Assert.Equal(pause.GetProperty("message").GetString(), upgrade.GetProperty("message").GetString());
        Assert.Equal($"No active contract found for {creator.Address[..8]}...", upgrade.GetProperty("message").GetString());
    }
}
