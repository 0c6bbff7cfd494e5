using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FanForge.Grains.Algorand;
using FanForge.Tests.Infrastructure;

namespace FanForge.Tests.Creators;

/// <summary>TipProxy tooling over HTTP on the development host: unsigned transactions the creator's wallet signs.</summary>
public sealed class ContractApiTests(FanForgeApiFactory factory) : IClassFixture<FanForgeApiFactory>
{
    private static readonly TestWallet Creator = new(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    private static readonly TestWallet Fan = new(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    private static Transaction Unsigned(JsonElement body) => Transaction.Decode(Convert.FromBase64String(body.GetProperty("unsignedTxn").GetString()!));

    private async Task<HttpStatusCode> SignAndSubmitAsync(Transaction transaction, TestWallet signer) =>
        (await factory.CreateClient().PostAsJsonAsync("/submit", new { signed_txn = Convert.ToBase64String(SignedTransaction.Sign(transaction, signer.Signer).Encode()) })).StatusCode;

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
