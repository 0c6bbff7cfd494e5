using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FanForge.GrainInterfaces.Loyalty;
using FanForge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FanForge.Tests.Loyalty;

/// <summary>The loyalty routes in the prototype's shapes, over payments applied as the chain watcher applies them.</summary>
public sealed class LoyaltyApiTests(FanForgeApiFactory factory) : IClassFixture<FanForgeApiFactory>
{
    private static readonly TestWallet Creator = new(71);
    private static readonly TestWallet Fan = new(72);
    private static readonly TestWallet OtherFan = new(73);

    private async Task SeedAsync()
    {
        var grains = factory.Services.GetRequiredService<IGrainFactory>();
        var at = new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
        var tips = Enumerable.Range(1, 6)
            .Select(r => new ChainTip(Fan.Address, Creator.Address, 1_500_000, "", new ChainPosition((ulong)r, 0), $"TIP{r}", at.AddMinutes(r)))
            .Append(new ChainTip(OtherFan.Address, Creator.Address, 20_000_000, "ORDER:3", new ChainPosition(7, 0), "ORDER3", at.AddMinutes(7)))
            .ToList();
        await grains.GetGrain<ICreatorPayments>(Creator.Address).ApplyAsync(tips);
    }

    private async Task<JsonElement> GetAsync(HttpClient http, string path)
    {
        var response = await http.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task Pair_loyalty_has_the_prototype_snake_case_shape()
    {
        await SeedAsync();

        var body = await GetAsync(factory.CreateClient(), $"/butki/{Fan.Address}/loyalty/{Creator.Address}");

        Assert.Equal(Fan.Address, body.GetProperty("fan_wallet").GetString());
        Assert.Equal(6, body.GetProperty("tip_count").GetInt32());
        Assert.Equal(9.0m, body.GetProperty("total_tipped_algo").GetDecimal());
        Assert.Equal(1, body.GetProperty("butki_badges_earned").GetInt32());
        Assert.Equal(4, body.GetProperty("tips_to_next_badge").GetInt32());
        // The badge is minted after the tips are counted; its asset id appears once the chain confirms it.
        await ClusterHosts.EventuallyAsync(
            () => factory.CreateClient().GetFromJsonAsync<JsonElement>($"/butki/{Fan.Address}/loyalty/{Creator.Address}"),
            b => b.GetProperty("last_badge_asset_id").ValueKind == JsonValueKind.Number, TimeSpan.FromSeconds(10), "the badge's asset id");
    }

    [Fact]
    public async Task A_pair_that_never_tipped_has_the_zero_form()
    {
        var body = await GetAsync(factory.CreateClient(), $"/butki/{new TestWallet(74).Address}/loyalty/{Creator.Address}");

        Assert.Equal((0, 0m, 5), (body.GetProperty("tip_count").GetInt32(), body.GetProperty("total_tipped_algo").GetDecimal(), body.GetProperty("tips_to_next_badge").GetInt32()));
    }

    [Fact]
    public async Task Fan_loyalty_lists_creators_supported()
    {
        await SeedAsync();

        var body = await GetAsync(factory.CreateClient(), $"/butki/{Fan.Address}/loyalty");

        Assert.Equal(1, body.GetProperty("total_creators_supported").GetInt32());
        Assert.Equal(Creator.Address, body.GetProperty("creators")[0].GetProperty("creator_wallet").GetString());
    }

    [Fact]
    public async Task Butki_leaderboard_counts_only_butki_tips_and_the_creator_leaderboard_every_tip_but_no_order_payment()
    {
        await SeedAsync();
        var creatorHttp = await factory.CreateClientAsync(Creator);
        (await creatorHttp.PostAsJsonAsync("/creator/register", new { walletAddress = Creator.Address, username = "mira" })).EnsureSuccessStatusCode();
        var http = factory.CreateClient();

        var butki = await GetAsync(http, $"/butki/leaderboard/{Creator.Address}?limit=10");
        var volume = await GetAsync(http, $"/leaderboard/{Creator.Address}");

        Assert.Equal(1, butki.GetProperty("total_fans").GetInt32());
        Assert.Equal(Fan.Address, butki.GetProperty("leaderboard")[0].GetProperty("fan_wallet").GetString());
        Assert.True(volume.GetProperty("success").GetBoolean());
        var rows = volume.GetProperty("data").GetProperty("leaderboard");
        // The other fan's 20 ALGO paid an order: merch money is no tip, so it ranks nobody.
        Assert.Equal([Fan.Address], rows.EnumerateArray().Select(r => r.GetProperty("fanWallet").GetString()));
        Assert.Equal(9.0m, rows[0].GetProperty("totalAlgo").GetDecimal());
        Assert.Equal(9.0m, rows[0].GetProperty("totalAlgoTipped").GetDecimal());
        Assert.Equal(6, rows[0].GetProperty("tipCount").GetInt32());
        Assert.Equal("mira", volume.GetProperty("data").GetProperty("creatorUsername").GetString());
        Assert.Equal(9.0m, volume.GetProperty("meta").GetProperty("totalAlgoReceived").GetDecimal());
    }

    [Fact]
    public async Task The_creator_leaderboard_of_an_unregistered_wallet_is_404()
    {
        var response = await factory.CreateClient().GetAsync($"/leaderboard/{new TestWallet(75).Address}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Top_creators_rank_by_tips_received()
    {
        await SeedAsync();

        var body = await GetAsync(factory.CreateClient(), "/leaderboard/global/top-creators?limit=5");

        var first = body.GetProperty("data").GetProperty("leaderboard")[0];
        Assert.Equal(Creator.Address, first.GetProperty("creatorWallet").GetString());
        Assert.Equal((6, 9.0m, 1), (first.GetProperty("tipCount").GetInt32(), first.GetProperty("totalAlgoReceived").GetDecimal(), first.GetProperty("uniqueFans").GetInt32()));
    }

    [Fact]
    public async Task Fan_stats_need_the_fans_own_token()
    {
        await SeedAsync();

        var anonymous = await factory.CreateClient().GetAsync($"/fan/{Fan.Address}/stats");
        var body = await GetAsync(await factory.CreateClientAsync(Fan), $"/fan/{Fan.Address}/stats");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal((6, 9.0m, 1.5m, 1), (body.GetProperty("totalTips").GetInt32(), body.GetProperty("totalAlgoSpent").GetDecimal(),
            body.GetProperty("averageTipAlgo").GetDecimal(), body.GetProperty("uniqueCreators").GetInt32()));
        Assert.Equal("TIP6", body.GetProperty("recentTips")[0].GetProperty("txId").GetString());
        // The badge counts once it is minted (an NFT the fan holds), as the prototype counts its NFT rows.
        var fanHttp = await factory.CreateClientAsync(Fan);
        var minted = await ClusterHosts.EventuallyAsync(
            () => fanHttp.GetFromJsonAsync<JsonElement>($"/fan/{Fan.Address}/stats"), b => b.GetProperty("total_soulbound").GetInt32() == 1,
            TimeSpan.FromSeconds(10), "the minted badge");
        Assert.Equal((1, 0), (minted.GetProperty("totalSoulbound").GetInt32(), minted.GetProperty("total_golden").GetInt32()));
    }

    [Theory]
    [InlineData("1.0", 0.1, 0.0, "10% chance of golden sticker. Guaranteed every 10 tips.")]
    [InlineData("5", 0.15, 0.05, "15% chance of golden sticker (+5% whale bonus). Guaranteed every 10 tips.")]
    [InlineData("75", 0.3, 0.2, "30% chance of golden sticker (+20% whale bonus). Guaranteed every 10 tips.")]
    public async Task Golden_odds_follow_the_prototype(string amount, double total, double bonus, string description)
    {
        var body = await GetAsync(await factory.CreateClientAsync(Fan), $"/fan/{Fan.Address}/golden-odds?amount_algo={amount}");

        Assert.Equal((decimal)total, body.GetProperty("totalProbability").GetDecimal());
        Assert.Equal((decimal)total, body.GetProperty("probability").GetDecimal());
        Assert.Equal((decimal)bonus, body.GetProperty("bonus").GetDecimal());
        Assert.Equal(description, body.GetProperty("description").GetString());
    }

    [Theory]
    [InlineData("/butki/NOTAWALLET/loyalty", "invalid_wallet")]
    [InlineData("/butki/leaderboard/RKEOHXLUBHYZL7KS3MWTZOS5OLFGOCN7DWKBEG7TOSEADNAPN5OOTUNSLE?limit=0", "validation")]
    [InlineData("/leaderboard/global/top-creators?limit=101", "validation")]
    public async Task Bad_input_is_a_400_with_a_code(string path, string code)
    {
        var response = await factory.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString());
    }
}
