using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FanForge.Grains.Algorand;
using FanForge.Grains.Algorand.Simulation;
using FanForge.Grains.Chain;
using FanForge.GrainInterfaces.Nfts;
using FanForge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FanForge.Tests.Creators;

/// <summary>TipProxy tooling over HTTP on the development host: unsigned transactions the creator's wallet signs.</summary>
public sealed class ContractApiTests(FanForgeApiFactory factory) : IClassFixture<FanForgeApiFactory>
{
    private static readonly TestWallet Creator = new(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    private static readonly TestWallet Fan = new(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    private static Transaction Unsigned(JsonElement body) => Transaction.Decode(Convert.FromBase64String(body.GetProperty("unsignedTxn").GetString()!));

    private static TestWallet NewWallet() => new(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    private Task<HttpResponseMessage> SubmitAsync(Transaction transaction, TestWallet signer) =>
        factory.CreateClient().PostAsJsonAsync("/submit", new { signed_txn = Convert.ToBase64String(SignedTransaction.Sign(transaction, signer.Signer).Encode()) });

    private async Task<HttpStatusCode> SignAndSubmitAsync(Transaction transaction, TestWallet signer) => (await SubmitAsync(transaction, signer)).StatusCode;

    /// <summary>The version a new app starts at, and the next ones after one and two upgrades.</summary>
    private const ulong Created = TipProxy.Version, Upgraded = Created + 1, UpgradedTwice = Created + 2;

    /// <summary>A fresh registered creator (so versions start at <see cref="Created"/>) and a client with its token.</summary>
    private async Task<(TestWallet Creator, (ulong AppId, AlgorandAddress AppAddress) App, HttpClient Http)> NewCreatorAsync()
    {
        var creator = NewWallet();
        var app = await factory.RegisterCreatorAsync(creator);
        return (creator, app, await factory.CreateClientAsync(creator));
    }

    private static async Task<JsonElement> UpgradeAsync(HttpClient http, TestWallet creator) =>
        await HttpAssert.OkAsync(await http.PostAsync($"/creator/{creator.Address}/upgrade-contract", null));

    /// <summary>The public contract route once the watcher has told the profile about the update.</summary>
    private Task<JsonElement> ContractAtVersionAsync(TestWallet creator, int version) => ClusterHosts.EventuallyAsync(
        () => factory.CreateClient().GetFromJsonAsync<JsonElement>($"/creator/{creator.Address}/contract"),
        contract => contract.GetProperty("version").GetInt32() == version, TimeSpan.FromSeconds(15), $"GET /contract at version {version}");

    private static async Task<ulong> OnChainVersionAsync(HttpClient http, TestWallet creator)
    {
        var stats = await HttpAssert.OkAsync(await http.GetAsync($"/creator/{creator.Address}/contract/stats"));
        Assert.Equal(stats.GetProperty("contractVersion").GetUInt64(), stats.GetProperty("contract_version").GetUInt64());
        return stats.GetProperty("contractVersion").GetUInt64();
    }

    [Fact]
    public async Task The_creator_pauses_and_unpauses_its_jar_by_signing_the_returned_calls()
    {
        var app = await factory.RegisterCreatorAsync(Creator);
        var http = await factory.CreateClientAsync(Creator);

        var pause = await (await http.PostAsync($"/creator/{Creator.Address}/pause-contract", null)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
        var call = Unsigned(pause);
        Assert.Equal((Creator.Address, app.AppId, "pause"), (call.Sender.ToString(), call.ApplicationId, Encoding.ASCII.GetString(call.ApplicationArgs[0].Span)));
        Assert.Equal(HttpStatusCode.OK, await SignAndSubmitAsync(call, Creator));

        var refused = await factory.SubmitGroupAsync(Tipping.TipGroup(Fan, app, 1_000_000, "", 90_000_000));
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        var stats = await http.GetFromJsonAsync<JsonElement>($"/creator/{Creator.Address}/contract/stats");
        Assert.True(stats.GetProperty("paused").GetBoolean());

        var unpause = await (await http.PostAsync($"/creator/{Creator.Address}/unpause-contract", null)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, await SignAndSubmitAsync(Unsigned(unpause), Creator));
        Assert.Equal(HttpStatusCode.OK, (await factory.SubmitGroupAsync(Tipping.TipGroup(Fan, app, 1_000_000, "", 90_000_001))).Status);
    }

    [Fact]
    public async Task A_fan_cannot_sign_the_creators_pause_and_the_ledger_refuses_it()
    {
        var app = await factory.RegisterCreatorAsync(Creator);
        var http = await factory.CreateClientAsync(Creator);
        var pause = Unsigned(await (await http.PostAsync($"/creator/{Creator.Address}/pause-contract", null)).Content.ReadFromJsonAsync<JsonElement>());

        var forged = pause with { Sender = AlgorandAddress.Parse(Fan.Address) };

        Assert.Equal(HttpStatusCode.BadRequest, await SignAndSubmitAsync(forged, Fan));
        Assert.Equal(HttpStatusCode.OK, (await factory.SubmitGroupAsync(Tipping.TipGroup(Fan, app, 1_000_000, "", 90_000_010))).Status);
    }

    [Fact]
    public async Task The_creator_upgrades_in_place_by_signing_the_returned_update_and_contract_stats_and_dashboard_show_the_next_version()
    {
        var (creator, app, http) = await NewCreatorAsync();
        var fan = NewWallet();

        var upgrade = await UpgradeAsync(http, creator);

        Assert.Equal((app.AppId, app.AppId, app.AppAddress.ToString(), Upgraded), (upgrade.GetProperty("oldAppId").GetUInt64(),
            upgrade.GetProperty("newAppId").GetUInt64(), upgrade.GetProperty("newAppAddress").GetString(), upgrade.GetProperty("newVersion").GetUInt64()));
        Assert.Equal($"Sign this transaction with Pera Wallet to upgrade your TipProxy to v{Upgraded}", upgrade.GetProperty("message").GetString());
        Assert.Equal((app.AppId, "upgrade"), (upgrade.GetProperty("appId").GetUInt64(), upgrade.GetProperty("action").GetString()));
        var update = Unsigned(upgrade);
        Assert.Equal((TransactionType.ApplicationCall, 4UL, app.AppId, creator.Address),
            (update.Type, (ulong)update.OnCompletion, update.ApplicationId, update.Sender.ToString()));
        Assert.Empty(update.ApplicationArgs);
        var programs = await factory.Services.GetRequiredService<IGrainFactory>().GetGrain<IChainInfo>(0).GetTipProxyDeploymentAsync();
        Assert.NotEmpty(programs.Approval);
        Assert.Equal(programs.Approval, update.ApprovalProgram.ToArray());
        Assert.Equal(programs.Clear, update.ClearStateProgram.ToArray());

        await HttpAssert.OkAsync(await SubmitAsync(update, creator));

        Assert.Equal(Upgraded, await OnChainVersionAsync(http, creator));
        var contract = await ContractAtVersionAsync(creator, (int)Upgraded);
        Assert.Equal((app.AppId, app.AppAddress.ToString()), (contract.GetProperty("app_id").GetUInt64(), contract.GetProperty("app_address").GetString()));
        var dashboard = await HttpAssert.OkAsync(await http.GetAsync($"/creator/{creator.Address}/dashboard"));
        Assert.Equal(((int)Upgraded, Upgraded, app.AppId),
            (dashboard.GetProperty("contract").GetProperty("version").GetInt32(), dashboard.GetProperty("stats").GetProperty("contractVersion").GetUInt64(),
             dashboard.GetProperty("contract").GetProperty("appId").GetUInt64()));
        // Same app, same address: the fans' tip links and the watcher's cursor still hold.
        Assert.Equal(HttpStatusCode.OK, (await factory.SubmitGroupAsync(Tipping.TipGroup(fan, app, 1_000_000, "after the upgrade", 90_000_100))).Status);
    }

    [Fact]
    public async Task A_resubmitted_update_changes_nothing_and_each_further_upgrade_adds_one_even_when_sent_straight_to_the_chain()
    {
        var (creator, _, http) = await NewCreatorAsync();
        var update = Unsigned(await UpgradeAsync(http, creator));

        var first = await HttpAssert.OkAsync(await SubmitAsync(update, creator));
        var again = await HttpAssert.OkAsync(await SubmitAsync(update, creator));

        Assert.Equal(first.GetProperty("txId").GetString(), again.GetProperty("txId").GetString());
        Assert.Equal(Upgraded, await OnChainVersionAsync(http, creator));
        await ContractAtVersionAsync(creator, (int)Upgraded);

        // As a wallet posting to algod itself would: /submit never sees it, only the watcher does.
        var second = await UpgradeAsync(http, creator);
        Assert.Equal((UpgradedTwice, $"Sign this transaction with Pera Wallet to upgrade your TipProxy to v{UpgradedTwice}"),
            (second.GetProperty("newVersion").GetUInt64(), second.GetProperty("message").GetString()));
        var ledger = factory.Services.GetRequiredService<IGrainFactory>().GetGrain<ISimulatedLedger>(ISimulatedLedger.Key);
        var direct = await ledger.SubmitAsync(SignedTransaction.Sign(Unsigned(second), creator.Signer).Encode());
        Assert.True(direct.IsAccepted, direct.Message);

        await ContractAtVersionAsync(creator, (int)UpgradedTwice);
        Assert.Equal(UpgradedTwice, await OnChainVersionAsync(http, creator));
    }

    [Fact]
    public async Task A_fan_cannot_sign_the_creators_update_and_the_ledger_refuses_it()
    {
        var (creator, _, http) = await NewCreatorAsync();
        var fan = NewWallet();
        var update = Unsigned(await UpgradeAsync(http, creator));

        var forged = update with { Sender = AlgorandAddress.Parse(fan.Address) };

        await HttpAssert.ErrorAsync(await SubmitAsync(forged, fan), HttpStatusCode.BadRequest, "rejected_by_contract");
        Assert.Equal(Created, await OnChainVersionAsync(http, creator));
    }

    [Fact]
    public async Task Only_the_creator_itself_may_ask_for_its_upgrade()
    {
        var (creator, other) = (NewWallet(), NewWallet());
        await factory.RegisterCreatorAsync(creator);
        var otherHttp = await factory.CreateClientAsync(other);
        var path = $"/creator/{creator.Address}/upgrade-contract";

        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient().PostAsync(path, null)).StatusCode);
        await HttpAssert.ErrorAsync(await otherHttp.PostAsync(path, null), HttpStatusCode.Forbidden, "forbidden");
        await HttpAssert.ErrorAsync(await otherHttp.PostAsync($"/creator/{other.Address}/upgrade-contract", null), HttpStatusCode.Forbidden, "forbidden");
        await factory.RegisterCreatorAsync(other);
        await HttpAssert.ErrorAsync(await otherHttp.PostAsync(path, null), HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task Upgrading_a_jar_the_creator_deleted_on_chain_is_a_404()
    {
        var (creator, _, http) = await NewCreatorAsync();
        var pause = Unsigned(await HttpAssert.OkAsync(await http.PostAsync($"/creator/{creator.Address}/pause-contract", null)));
        await HttpAssert.OkAsync(await SubmitAsync(pause with { ApplicationArgs = [], OnCompletion = OnCompletion.DeleteApplication }, creator));

        var error = await HttpAssert.ErrorAsync(await http.PostAsync($"/creator/{creator.Address}/upgrade-contract", null), HttpStatusCode.NotFound, "not_found");

        Assert.Equal($"No active contract found for {creator.Address[..8]}...", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Contract_info_list_fund_and_self_deploy()
    {
        var anonymous = factory.CreateClient();
        var info = await anonymous.GetFromJsonAsync<JsonElement>("/contract/info?name=tip_proxy");
        var unknown = await anonymous.GetFromJsonAsync<JsonElement>("/contract/info?name=nft_controller");
        var list = await anonymous.GetFromJsonAsync<JsonElement>("/contract/list");
        Assert.Equal((true, 5, 2), (info.GetProperty("compiled").GetBoolean(), info.GetProperty("global_uints").GetInt32(), info.GetProperty("global_bytes").GetInt32()));
        Assert.False(unknown.GetProperty("compiled").GetBoolean());
        Assert.Single(list.GetProperty("contracts").EnumerateArray());

        var fanHttp = await factory.CreateClientAsync(Fan);
        var fund = await (await fanHttp.PostAsJsonAsync("/contract/fund", new { sender = Fan.Address, app_id = 1234UL, amount = 250_000UL }))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
        var pay = Unsigned(fund);
        Assert.Equal((AlgorandAddress.ForApplication(1234), 250_000UL), (pay.Receiver, pay.Amount));
        var otherSender = await fanHttp.PostAsJsonAsync("/contract/fund", new { sender = Creator.Address, appId = 1234UL });
        Assert.Equal(HttpStatusCode.Forbidden, otherSender.StatusCode);

        var deploy = await (await fanHttp.PostAsJsonAsync("/contract/deploy", new { sender = Fan.Address, contractName = "tip_proxy" }))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
        var create = Unsigned(deploy);
        Assert.Equal((0UL, Fan.Address), (create.ApplicationId, create.Sender.ToString()));
        Assert.Equal(AlgorandAddress.Parse(Fan.Address).PublicKey, create.ApplicationArgs[0].ToArray());
        Assert.Equal(HttpStatusCode.OK, await SignAndSubmitAsync(create, Fan));
    }
}
