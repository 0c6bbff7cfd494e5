using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FanForge.Grains.Algorand;
using FanForge.Tests.Infrastructure;

namespace FanForge.Tests.Chain;

/// <summary>
/// The whole tip path on the development host: creator registration deploys a TipProxy on the simulated ledger, a
/// fan's signed group goes through /submit-group, the chain watcher reads it back and the loyalty routes show it.
/// </summary>
public sealed class TipPipelineTests(FanForgeApiFactory factory) : IClassFixture<FanForgeApiFactory>
{
    private static int seed = 120;

    private static TestWallet NewWallet() => new((byte)Interlocked.Increment(ref seed));

    private Task<JsonElement> LoyaltyWhenAsync(TestWallet fan, TestWallet creator, int tipCount) => ClusterHosts.EventuallyAsync(
        () => factory.CreateClient().GetFromJsonAsync<JsonElement>($"/butki/{fan.Address}/loyalty/{creator.Address}"),
        body => body.GetProperty("tip_count").GetInt32() == tipCount, TimeSpan.FromSeconds(10), $"tip_count {tipCount}");

    [Fact]
    public async Task Six_signed_tip_groups_make_tip_count_six_and_one_badge()
    {
        var (creator, fan) = (NewWallet(), NewWallet());
        var app = await factory.RegisterCreatorAsync(creator);

        for (var i = 0; i < 6; i++)
        {
            var (status, body) = await factory.SubmitGroupAsync(Tipping.TipGroup(fan, app, 1_000_000, "gm", 50_000_000 + (ulong)i));
            Assert.True(status == HttpStatusCode.OK, body.ToString());
        }

        var loyalty = await LoyaltyWhenAsync(fan, creator, 6);
        Assert.Equal(1, loyalty.GetProperty("butki_badges_earned").GetInt32());
        var fanHttp = await factory.CreateClientAsync(fan);
        var pending = await ClusterHosts.EventuallyAsync(
            () => fanHttp.GetFromJsonAsync<JsonElement>($"/fan/{fan.Address}/pending"),
            body => body.GetProperty("meta").GetProperty("total").GetInt32() == 1, TimeSpan.FromSeconds(10), "the minted badge");
        var badge = pending.GetProperty("data").GetProperty("pending")[0];
        Assert.Equal(("butki", "soulbound", "Butki Badge #1"), (badge.GetProperty("nftClass").GetString(), badge.GetProperty("stickerType").GetString(), badge.GetProperty("templateName").GetString()));
        var assetId = badge.GetProperty("asset_id").GetUInt64();
        Assert.Equal(assetId, (await LoyaltyWhenAsync(fan, creator, 6)).GetProperty("last_badge_asset_id").GetUInt64());
        Assert.Equal(6.0m, loyalty.GetProperty("total_tipped_algo").GetDecimal());
        var status2 = await factory.CreateClient().GetFromJsonAsync<JsonElement>("/listener/status");
        Assert.True(status2.GetProperty("metrics").GetProperty("tips_processed_total").GetInt64() >= 6);
    }

    [Fact]
    public async Task Resubmitting_a_group_returns_the_first_answer_and_counts_once()
    {
        var (creator, fan) = (NewWallet(), NewWallet());
        var group = Tipping.TipGroup(fan, await factory.RegisterCreatorAsync(creator), 2_000_000, "", 50_000_100);

        var first = await factory.SubmitGroupAsync(group);
        var again = await factory.SubmitGroupAsync(group);
        var withKey = await factory.SubmitGroupAsync(group, "retry-key-1");

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(first.Body.GetProperty("txId").GetString(), again.Body.GetProperty("txId").GetString());
        Assert.Equal(first.Body.GetProperty("txId").GetString(), withKey.Body.GetProperty("txId").GetString());
        Assert.Equal(first.Body.GetProperty("txId").GetString(), first.Body.GetProperty("tx_id").GetString());
        await LoyaltyWhenAsync(fan, creator, 1);
        await Task.Delay(300);
        Assert.Equal(1, (await factory.CreateClient().GetFromJsonAsync<JsonElement>($"/butki/{fan.Address}/loyalty/{creator.Address}")).GetProperty("tip_count").GetInt32());
    }

    [Fact]
    public async Task An_idempotency_key_reused_for_other_transactions_is_a_409()
    {
        var (creator, fan) = (NewWallet(), NewWallet());
        var app = await factory.RegisterCreatorAsync(creator);
        await factory.SubmitGroupAsync(Tipping.TipGroup(fan, app, 1_000_000, "", 50_000_200), "order-7");

        var (status, body) = await factory.SubmitGroupAsync(Tipping.TipGroup(fan, app, 1_000_000, "", 50_000_201), "order-7");

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("idempotency_key_reused", body.GetProperty("error").GetProperty("code").GetString());
    }

    public static TheoryData<string, string, HttpStatusCode> BadGroups() => new()
    {
        { "not base64!", "invalid_transaction", HttpStatusCode.BadRequest },
        { "only-the-payment", "invalid_transaction", HttpStatusCode.BadRequest },
        // A bad signature is 401 wherever it is found (login, webhooks, transactions): one code, one status.
        { "forged-signature", "invalid_signature", HttpStatusCode.Unauthorized },
        { "below-minimum", "rejected_by_contract", HttpStatusCode.BadRequest },
    };

    [Theory]
    [MemberData(nameof(BadGroups))]
    public async Task A_bad_group_is_a_4xx_with_a_code_and_nothing_is_counted(string defect, string code, HttpStatusCode expected)
    {
        var (creator, fan) = (NewWallet(), NewWallet());
        var app = await factory.RegisterCreatorAsync(creator);
        var group = Tipping.TipGroup(fan, app, defect == "below-minimum" ? 100_000UL : 1_000_000UL, "", 50_000_300);
        string[] sent = defect switch
        {
            "not base64!" => ["not base64!", group[1]],
            "only-the-payment" => [group[0]],
            "forged-signature" => [Forge(group[0]), group[1]],
            _ => group,
        };

        var (status, body) = await factory.SubmitGroupAsync(sent);

        Assert.Equal(expected, status);
        Assert.Equal(code, body.GetProperty("error").GetProperty("code").GetString());
        await Task.Delay(300);
        Assert.Equal(0, (await factory.CreateClient().GetFromJsonAsync<JsonElement>($"/butki/{fan.Address}/loyalty/{creator.Address}")).GetProperty("tip_count").GetInt32());
    }

    /// <summary>Flips one bit of the signature (it sits at bytes 6..69 of the {sig, txn} map).</summary>
    private static string Forge(string signed)
    {
        var bytes = Convert.FromBase64String(signed);
        bytes[10] ^= 0x01;
        return Convert.ToBase64String(bytes);
    }

    [Fact]
    public async Task A_creator_who_swaps_in_a_foreign_program_through_submit_gets_no_more_tips_credited_and_its_contract_says_why()
    {
        var (creator, fan) = (NewWallet(), NewWallet());
        var app = await factory.RegisterCreatorAsync(creator);
        Assert.Equal(HttpStatusCode.OK, (await factory.SubmitGroupAsync(Tipping.TipGroup(fan, app, 1_000_000, "ours", 50_000_400))).Status);
        await LoyaltyWhenAsync(fan, creator, 1);

        // The creator's own UpdateApplication to a program of its choosing, signed by its wallet, posted as any wallet would.
        var update = new Transaction
        {
            Type = TransactionType.ApplicationCall, Sender = AlgorandAddress.Parse(creator.Address), Fee = 1000,
            FirstValid = 50_000_401, LastValid = 50_001_401, GenesisId = "testnet-v1.0",
            GenesisHash = Convert.FromBase64String("SGO1GKSzyE7IEPItTxCByw9x8FmnrCDexi9/cOUJOiI="),
            ApplicationId = app.AppId, OnCompletion = OnCompletion.UpdateApplication,
            ApprovalProgram = (byte[])[0x0a, .. "log whatever I like"u8], ClearStateProgram = (byte[])[0x0a, 0x81, 0x01, 0x43],
        };
        var signed = Convert.ToBase64String(SignedTransaction.Sign(update, creator.Signer).Encode());
        var submitted = await factory.CreateClient().PostAsJsonAsync("/submit", new { signed_txn = signed });
        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await factory.SubmitGroupAsync(Tipping.TipGroup(fan, app, 9_000_000, "after the swap", 50_000_402))).Status);
        var contract = await ClusterHosts.EventuallyAsync(
            () => factory.CreateClient().GetFromJsonAsync<JsonElement>($"/creator/{creator.Address}/contract"),
            c => c.GetProperty("program_status").GetString() == "foreign", TimeSpan.FromSeconds(10), "the contract marked foreign");
        Assert.False(contract.GetProperty("active").GetBoolean());
        Assert.Contains("does not ship", contract.GetProperty("program_refusal").GetString(), StringComparison.Ordinal);
        await ClusterHosts.EventuallyAsync(
            () => factory.CreateClient().GetFromJsonAsync<JsonElement>("/listener/status"),
            l => l.GetProperty("metrics").GetProperty("foreign_program_payments").GetInt64() >= 1, TimeSpan.FromSeconds(10), "the refused tip counted");
        var loyalty = await factory.CreateClient().GetFromJsonAsync<JsonElement>($"/butki/{fan.Address}/loyalty/{creator.Address}");
        Assert.Equal((1, 1.0m), (loyalty.GetProperty("tip_count").GetInt32(), loyalty.GetProperty("total_tipped_algo").GetDecimal()));
    }
}
