using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FanForge.Tests.Infrastructure;

namespace FanForge.Tests.Shawty;

/// <summary>
/// Shawty over HTTP on the development host: a signed <c>PURCHASE:SHAWTY</c> group goes through /submit-group, the
/// chain watcher routes it, the token is minted into platform custody and the fan spends or gives it with its token.
/// </summary>
public sealed class ShawtyApiTests(FanForgeApiFactory factory) : IClassFixture<FanForgeApiFactory>
{
    private static int seed = 160;
    private static ulong firstValid = 51_000_000;

    private static TestWallet NewWallet() => new((byte)Interlocked.Increment(ref seed));



    private Task<JsonElement> TokensWhenAsync(HttpClient fanHttp, TestWallet fan, int total) => ClusterHosts.EventuallyAsync(
        async () => await HttpAssert.OkAsync(await fanHttp.GetAsync($"/shawty/{fan.Address}/tokens")),
        body => body.GetProperty("total").GetInt32() == total, TimeSpan.FromSeconds(20), $"{total} Shawty tokens");

    /// <summary>A creator, a fan holding <paramref name="count"/> tokens bought with signed groups, and the fan's client.</summary>
    private async Task<(TestWallet Fan, HttpClient Http, ulong[] AssetIds)> FanWithTokensAsync(int count)
    {
        var (creator, fan) = (NewWallet(), NewWallet());
        var app = await factory.RegisterCreatorAsync(creator);
        for (var i = 0; i < count; i++)
        {
            var (status, body) = await factory.SubmitGroupAsync(Tipping.TipGroup(fan, app, 2_000_000, "PURCHASE:SHAWTY", Interlocked.Increment(ref firstValid)));
            Assert.True(status == HttpStatusCode.OK, body.ToString());
        }

        var http = await factory.CreateClientAsync(fan);
        var tokens = await TokensWhenAsync(http, fan, count);
        var rows = tokens.GetProperty("tokens").EnumerateArray().ToList();
        Assert.All(rows, t =>
        {
            Assert.Equal(creator.Address, t.GetProperty("creator_wallet").GetString());
            Assert.Equal((2.0m, 2_000_000L), (t.GetProperty("amount_paid_algo").GetDecimal(), t.GetProperty("amount_paid_micro").GetInt64()));
            Assert.Equal((false, false, true), (t.GetProperty("is_burned").GetBoolean(), t.GetProperty("is_locked").GetBoolean(), t.GetProperty("is_redeemable").GetBoolean()));
            Assert.NotEqual(fan.Address, t.GetProperty("ledger_holder").GetString());
            Assert.Equal(JsonValueKind.String, t.GetProperty("purchased_at").ValueKind);
        });
        return (fan, http, [.. rows.Select(t => t.GetProperty("asset_id").GetUInt64())]);
    }

    [Fact]
    public async Task A_signed_purchase_becomes_a_token_the_fan_can_burn_once_and_validate()
    {
        var (fan, http, ids) = await FanWithTokensAsync(1);
        var token = await HttpAssert.OkAsync(await http.GetAsync($"/shawty/{fan.Address}/tokens"));
        Assert.Equal((fan.Address, 1), (token.GetProperty("fan_wallet").GetString(), token.GetProperty("redeemable_count").GetInt32()));
        var valid = await HttpAssert.OkAsync(await factory.CreateClient().GetAsync($"/shawty/{fan.Address}/validate/{ids[0]}"));
        Assert.True(valid.GetProperty("is_valid").GetBoolean());

        var burn = await HttpAssert.OkAsync(await http.PostAsJsonAsync("/shawty/burn", new { fan_wallet = fan.Address, asset_id = ids[0], item_description = "T-shirt XL" }));
        var retry = await HttpAssert.OkAsync(await http.PostAsJsonAsync("/shawty/burn", new { fan_wallet = fan.Address, asset_id = ids[0], item_description = "T-shirt XL" }));
        var other = await http.PostAsJsonAsync("/shawty/burn", new { fan_wallet = fan.Address, asset_id = ids[0], item_description = "Hoodie" });

        Assert.True(burn.GetProperty("success").GetBoolean());
        Assert.Equal($"Shawty ASA {ids[0]} burned for: T-shirt XL", burn.GetProperty("message").GetString());
        Assert.Equal((ids[0], "burn_merch"), (burn.GetProperty("asset_id").GetUInt64(), burn.GetProperty("redemption_type").GetString()));
        Assert.Equal(burn.ToString(), retry.ToString());
        await HttpAssert.ErrorAsync(other, HttpStatusCode.Conflict, "shawty_already_burned");

        var after = await HttpAssert.OkAsync(await factory.CreateClient().GetAsync($"/shawty/{fan.Address}/validate/{ids[0]}"));
        Assert.Equal((false, true, false, false), (after.GetProperty("is_valid").GetBoolean(), after.GetProperty("is_burned").GetBoolean(),
            after.GetProperty("is_locked").GetBoolean(), after.GetProperty("is_redeemable").GetBoolean()));
        Assert.Equal(0, (await HttpAssert.OkAsync(await http.GetAsync($"/shawty/{fan.Address}/tokens"))).GetProperty("total").GetInt32());
        var spent = await HttpAssert.OkAsync(await http.GetAsync($"/shawty/{fan.Address}/tokens?include_spent=true"));
        Assert.Equal((1, 0), (spent.GetProperty("total").GetInt32(), spent.GetProperty("redeemable_count").GetInt32()));
        Assert.True(spent.GetProperty("tokens")[0].GetProperty("is_burned").GetBoolean());
    }

    [Fact]
    public async Task Lock_transfer_and_redemptions_work_over_http_and_move_the_nft_with_the_token()
    {
        var (fan, http, ids) = await FanWithTokensAsync(3);
        var friend = NewWallet();
        var friendHttp = await factory.CreateClientAsync(friend);

        var locked = await HttpAssert.OkAsync(await http.PostAsJsonAsync("/shawty/lock", new { fan_wallet = fan.Address, asset_id = ids[0], discount_description = "10% off" }));
        await HttpAssert.OkAsync(await http.PostAsJsonAsync("/shawty/burn", new { fan_wallet = fan.Address, asset_id = ids[1], item_description = "Poster" }));
        var burnLocked = await http.PostAsJsonAsync("/shawty/burn", new { fan_wallet = fan.Address, asset_id = ids[0], item_description = "Poster" });
        var given = await HttpAssert.OkAsync(await http.PostAsJsonAsync("/shawty/transfer", new { from_wallet = fan.Address, to_wallet = friend.Address, asset_id = ids[2] }));
        var givenAgain = await HttpAssert.OkAsync(await http.PostAsJsonAsync("/shawty/transfer", new { from_wallet = fan.Address, to_wallet = friend.Address, asset_id = ids[2] }));
        var spendGiven = await http.PostAsJsonAsync("/shawty/lock", new { fan_wallet = fan.Address, asset_id = ids[2], discount_description = "10% off" });

        Assert.Equal($"Shawty ASA {ids[0]} locked for: 10% off", locked.GetProperty("message").GetString());
        Assert.Equal("lock_discount", locked.GetProperty("redemption_type").GetString());
        await HttpAssert.ErrorAsync(burnLocked, HttpStatusCode.Conflict, "shawty_already_locked");
        Assert.Equal($"Shawty ASA {ids[2]} transferred to {friend.Address[..8]}...", given.GetProperty("message").GetString());
        Assert.Equal((fan.Address, friend.Address), (given.GetProperty("from_wallet").GetString(), given.GetProperty("to_wallet").GetString()));
        Assert.Equal(given.ToString(), givenAgain.ToString());
        await HttpAssert.ErrorAsync(spendGiven, HttpStatusCode.Conflict, "shawty_transferred");

        var friendTokens = await HttpAssert.OkAsync(await friendHttp.GetAsync($"/shawty/{friend.Address}/tokens"));
        Assert.Equal(ids[2], Assert.Single(friendTokens.GetProperty("tokens").EnumerateArray()).GetProperty("asset_id").GetUInt64());
        var fanTokens = await HttpAssert.OkAsync(await http.GetAsync($"/shawty/{fan.Address}/tokens?include_spent=true"));
        Assert.Equal(ids[..2].Order(), fanTokens.GetProperty("tokens").EnumerateArray().Select(t => t.GetProperty("asset_id").GetUInt64()).Order());
        var friendPending = await HttpAssert.OkAsync(await friendHttp.GetAsync($"/fan/{friend.Address}/pending"));
        Assert.Equal(ids[2], Assert.Single(friendPending.GetProperty("data").GetProperty("pending").EnumerateArray()).GetProperty("asset_id").GetUInt64());
        var fanPending = await HttpAssert.OkAsync(await http.GetAsync($"/fan/{fan.Address}/pending"));
        Assert.DoesNotContain(ids[2], fanPending.GetProperty("data").GetProperty("pending").EnumerateArray().Select(n => n.GetProperty("asset_id").GetUInt64()));
        Assert.True((await HttpAssert.OkAsync(await factory.CreateClient().GetAsync($"/shawty/{friend.Address}/validate/{ids[2]}"))).GetProperty("is_valid").GetBoolean());
        Assert.False((await HttpAssert.OkAsync(await factory.CreateClient().GetAsync($"/shawty/{fan.Address}/validate/{ids[2]}"))).GetProperty("is_valid").GetBoolean());

        var history = await HttpAssert.OkAsync(await factory.CreateClient().GetAsync($"/shawty/{fan.Address}/redemptions?limit=10"));
        Assert.Equal((fan.Address, 2), (history.GetProperty("fan_wallet").GetString(), history.GetProperty("total").GetInt32()));
        var newest = history.GetProperty("redemptions")[0];
        Assert.Equal((ids[1], ids[1], "burn_merch", "burn_merch", "Poster"), (newest.GetProperty("asset_id").GetUInt64(), newest.GetProperty("shawty_asset_id").GetUInt64(),
            newest.GetProperty("type").GetString(), newest.GetProperty("redemption_type").GetString(), newest.GetProperty("description").GetString()));
        Assert.Equal("lock_discount", history.GetProperty("redemptions")[1].GetProperty("redemption_type").GetString());
        Assert.Equal(1, (await HttpAssert.OkAsync(await factory.CreateClient().GetAsync($"/shawty/{fan.Address}/redemptions?limit=1"))).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Another_wallet_can_neither_read_nor_spend_nor_give_the_fans_tokens()
    {
        var (fan, _, ids) = await FanWithTokensAsync(1);
        var other = NewWallet();
        var otherHttp = await factory.CreateClientAsync(other);

        await HttpAssert.ErrorAsync(await otherHttp.GetAsync($"/shawty/{fan.Address}/tokens"), HttpStatusCode.Forbidden, "forbidden");
        await HttpAssert.ErrorAsync(await factory.CreateClient().GetAsync($"/shawty/{fan.Address}/tokens"), HttpStatusCode.Unauthorized, "unauthorized");
        // Naming the fan's wallet in the body is refused before the token is touched ...
        await HttpAssert.ErrorAsync(await otherHttp.PostAsJsonAsync("/shawty/burn", new { fan_wallet = fan.Address, asset_id = ids[0], item_description = "x" }), HttpStatusCode.Forbidden, "forbidden");
        await HttpAssert.ErrorAsync(await otherHttp.PostAsJsonAsync("/shawty/lock", new { fan_wallet = fan.Address, asset_id = ids[0], discount_description = "x" }), HttpStatusCode.Forbidden, "forbidden");
        await HttpAssert.ErrorAsync(await otherHttp.PostAsJsonAsync("/shawty/transfer", new { from_wallet = fan.Address, to_wallet = other.Address, asset_id = ids[0] }), HttpStatusCode.Forbidden, "forbidden");
        // ... and naming its own wallet meets the token's owner check.
        await HttpAssert.ErrorAsync(await otherHttp.PostAsJsonAsync("/shawty/burn", new { fan_wallet = other.Address, asset_id = ids[0], item_description = "x" }), HttpStatusCode.Forbidden, "shawty_not_owner");
        await HttpAssert.ErrorAsync(await otherHttp.PostAsJsonAsync("/shawty/transfer", new { from_wallet = other.Address, to_wallet = fan.Address, asset_id = ids[0] }), HttpStatusCode.Forbidden, "shawty_not_owner");
        await HttpAssert.ErrorAsync(await factory.CreateClient().PostAsJsonAsync("/shawty/burn", new { fan_wallet = fan.Address, asset_id = ids[0], item_description = "x" }), HttpStatusCode.Unauthorized, "unauthorized");

        var still = await HttpAssert.OkAsync(await factory.CreateClient().GetAsync($"/shawty/{fan.Address}/validate/{ids[0]}"));
        Assert.True(still.GetProperty("is_valid").GetBoolean());
    }

    public static TheoryData<string, object, string> BadBodies()
    {
        var fan = new TestWallet(159).Address;
        var other = new TestWallet(158).Address;
        return new()
        {
            { "/shawty/burn", new { fan_wallet = "NOTAWALLET", asset_id = 5, item_description = "x" }, "invalid_wallet" },
            { "/shawty/burn", new { fan_wallet = fan, asset_id = 0, item_description = "x" }, "shawty_invalid_asset_id" },
            { "/shawty/burn", new { fan_wallet = fan, item_description = "x" }, "shawty_invalid_asset_id" },
            { "/shawty/burn", new { fan_wallet = fan, asset_id = 5, item_description = "" }, "shawty_invalid_description" },
            { "/shawty/burn", new { fan_wallet = fan, asset_id = 5, item_description = new string('x', 501) }, "shawty_invalid_description" },
            { "/shawty/lock", new { fan_wallet = fan, asset_id = -1, discount_description = "x" }, "shawty_invalid_asset_id" },
            { "/shawty/lock", new { fan_wallet = fan, asset_id = 5 }, "shawty_invalid_description" },
            { "/shawty/transfer", new { from_wallet = fan, to_wallet = "NOTAWALLET", asset_id = 5 }, "invalid_wallet" },
            { "/shawty/transfer", new { from_wallet = fan, to_wallet = other, asset_id = 0 }, "shawty_invalid_asset_id" },
            { "/shawty/transfer", new { from_wallet = fan, to_wallet = fan, asset_id = 5 }, "shawty_transfer_to_self" },
        };
    }

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Bad_bodies_are_a_400_with_a_stable_code(string path, object body, string code)
    {
        var http = await factory.CreateClientAsync(new TestWallet(159));

        await HttpAssert.ErrorAsync(await http.PostAsJsonAsync(path, body), HttpStatusCode.BadRequest, code);
    }

    [Theory]
    [InlineData("/shawty/NOTAWALLET/validate/5", "invalid_wallet")]
    [InlineData("/shawty/RKEOHXLUBHYZL7KS3MWTZOS5OLFGOCN7DWKBEG7TOSEADNAPN5OOTUNSLE/validate/0", "shawty_invalid_asset_id")]
    [InlineData("/shawty/RKEOHXLUBHYZL7KS3MWTZOS5OLFGOCN7DWKBEG7TOSEADNAPN5OOTUNSLE/validate/abc", "invalid_request")]
    [InlineData("/shawty/RKEOHXLUBHYZL7KS3MWTZOS5OLFGOCN7DWKBEG7TOSEADNAPN5OOTUNSLE/redemptions?limit=0", "validation")]
    [InlineData("/shawty/RKEOHXLUBHYZL7KS3MWTZOS5OLFGOCN7DWKBEG7TOSEADNAPN5OOTUNSLE/redemptions?limit=201", "validation")]
    [InlineData("/shawty/NOTAWALLET/redemptions", "invalid_wallet")]
    public async Task Bad_public_reads_are_a_400_with_a_stable_code(string path, string code) =>
        await HttpAssert.ErrorAsync(await factory.CreateClient().GetAsync(path), HttpStatusCode.BadRequest, code);

    [Fact]
    public async Task Unknown_tokens_are_404_to_spend_and_not_valid_to_validate()
    {
        var fan = NewWallet();
        var http = await factory.CreateClientAsync(fan);

        await HttpAssert.ErrorAsync(await http.PostAsJsonAsync("/shawty/burn", new { fan_wallet = fan.Address, asset_id = 987_654_321, item_description = "x" }), HttpStatusCode.NotFound, "shawty_token_not_found");
        var valid = await HttpAssert.OkAsync(await factory.CreateClient().GetAsync($"/shawty/{fan.Address}/validate/987654321"));
        Assert.Equal((false, false, false), (valid.GetProperty("is_valid").GetBoolean(), valid.GetProperty("is_burned").GetBoolean(), valid.GetProperty("is_locked").GetBoolean()));
        var empty = await HttpAssert.OkAsync(await factory.CreateClient().GetAsync($"/shawty/{fan.Address}/redemptions"));
        Assert.Equal(0, empty.GetProperty("total").GetInt32());
    }
}
