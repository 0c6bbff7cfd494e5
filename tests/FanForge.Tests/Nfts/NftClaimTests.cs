using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FanForge.Grains.Algorand;
using FanForge.Grains.Algorand.Clients;
using FanForge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FanForge.Tests.Nfts;

/// <summary>Badge delivery over HTTP on the development host: five tips, opt-in signed by the fan, claim.</summary>
public sealed class NftClaimTests(FanForgeApiFactory factory) : IClassFixture<FanForgeApiFactory>
{
    private static readonly TestWallet Creator = new(254);
    private static readonly TestWallet Fan = new(255);

    private static async Task<JsonElement> BodyAsync(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    [Fact]
    public async Task A_fan_opts_in_with_the_returned_transaction_and_claims_the_badge_once()
    {
        var app = await factory.RegisterCreatorAsync(Creator);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await factory.SubmitGroupAsync(Tipping.TipGroup(Fan, app, 1_000_000, "", 80_000_000 + (ulong)i))).Status);
        }

        var http = await factory.CreateClientAsync(Fan);
        var pending = await ClusterHosts.EventuallyAsync(() => http.GetFromJsonAsync<JsonElement>($"/fan/{Fan.Address}/pending"),
            p => p.GetProperty("meta").GetProperty("total").GetInt32() == 1, TimeSpan.FromSeconds(10), "the badge");
        var badge = pending.GetProperty("data").GetProperty("pending")[0];
        var (nftId, assetId) = (badge.GetProperty("id").GetInt64(), badge.GetProperty("asset_id").GetUInt64());

        var early = await http.PostAsync($"/fan/{Fan.Address}/claim/{nftId}", null);
        Assert.Equal(HttpStatusCode.BadRequest, early.StatusCode);
        Assert.Equal("not_opted_in", (await BodyAsync(early)).GetProperty("error").GetProperty("code").GetString());

        var optIn = await BodyAsync((await http.PostAsJsonAsync("/nft/optin", new { assetId, fanWallet = Fan.Address })).EnsureSuccessStatusCode());
        var unsigned = Transaction.Decode(Convert.FromBase64String(optIn.GetProperty("unsignedTxn").GetString()!));
        Assert.Equal((assetId, 0UL, Fan.Address), (unsigned.TransferAssetId, unsigned.AssetAmount, unsigned.AssetReceiver.ToString()));
        var submitted = await factory.CreateClient().PostAsJsonAsync("/submit", new { signed_txn = Convert.ToBase64String(SignedTransaction.Sign(unsigned, Fan.Signer).Encode()) });
        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);

        var claimed = await BodyAsync((await http.PostAsync($"/fan/{Fan.Address}/claim/{nftId}", null)).EnsureSuccessStatusCode());
        var again = await BodyAsync((await http.PostAsync($"/fan/{Fan.Address}/claim/{nftId}", null)).EnsureSuccessStatusCode());

        Assert.Equal(("delivered", assetId), (claimed.GetProperty("status").GetString(), claimed.GetProperty("assetId").GetUInt64()));
        Assert.Equal(claimed.GetProperty("txId").GetString(), again.GetProperty("txId").GetString());
        var holding = await factory.Services.GetRequiredService<IAlgodClient>().GetAccountAssetAsync(AlgorandAddress.Parse(Fan.Address), assetId);
        Assert.Equal(1UL, holding!.Amount);
        Assert.Equal(0, (await http.GetFromJsonAsync<JsonElement>($"/fan/{Fan.Address}/pending")).GetProperty("meta").GetProperty("total").GetInt32());
        var inventory = await http.GetFromJsonAsync<JsonElement>($"/fan/{Fan.Address}/inventory");
        var item = Assert.Single(inventory.GetProperty("data").EnumerateArray());
        Assert.Equal(("delivered", "soulbound", assetId), (item.GetProperty("deliveryStatus").GetString(), item.GetProperty("sticker_type").GetString(), item.GetProperty("asset_id").GetUInt64()));
        var publicInventory = await factory.CreateClient().GetFromJsonAsync<JsonElement>($"/nft/inventory/{Fan.Address}");
        Assert.Equal((1, 1), (publicInventory.GetProperty("totalCount").GetInt32(), publicInventory.GetProperty("totalSoulbound").GetInt32()));
    }

    [Fact]
    public async Task An_nft_is_found_by_asset_id_and_only_a_golden_one_changes_hands()
    {
        var creator = new TestWallet(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var (buyer, friend) = (new TestWallet(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)), new TestWallet(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        var app = await factory.RegisterCreatorAsync(creator);
        Assert.Equal(HttpStatusCode.OK, (await factory.SubmitGroupAsync(Tipping.TipGroup(buyer, app, 5_000_000, "MEMBERSHIP:BAUNI", 80_000_100))).Status);
        Assert.Equal(HttpStatusCode.OK, (await factory.SubmitGroupAsync(Tipping.TipGroup(buyer, app, 2_000_000, "PURCHASE:SHAWTY", 80_000_101))).Status);
        var http = await factory.CreateClientAsync(buyer);
        var nfts = await ClusterHosts.EventuallyAsync(() => http.GetFromJsonAsync<JsonElement>($"/fan/{buyer.Address}/inventory"),
            i => i.GetProperty("meta").GetProperty("total").GetInt32() == 2, TimeSpan.FromSeconds(10), "the Bauni and Shawty NFTs");
        var items = nfts.GetProperty("data").EnumerateArray().ToList();
        var bauni = items.Single(n => n.GetProperty("nft_class").GetString() == "bauni").GetProperty("asset_id").GetInt64();
        var shawty = items.Single(n => n.GetProperty("nft_class").GetString() == "shawty").GetProperty("asset_id").GetInt64();

        var detail = await factory.CreateClient().GetFromJsonAsync<JsonElement>($"/nft/{bauni}");
        Assert.Equal((buyer.Address, "soulbound"), (detail.GetProperty("owner_wallet").GetString(), detail.GetProperty("sticker_type").GetString()));
        var soulbound = await http.PostAsJsonAsync("/nft/transfer", new { assetId = bauni, receiverWallet = friend.Address });
        Assert.Equal(HttpStatusCode.Conflict, soulbound.StatusCode);
        Assert.Equal("soulbound", (await BodyAsync(soulbound)).GetProperty("error").GetProperty("code").GetString());

        var golden = await BodyAsync((await http.PostAsJsonAsync("/nft/transfer", new { asset_id = shawty, receiver_wallet = friend.Address })).EnsureSuccessStatusCode());
        Assert.Equal(friend.Address, golden.GetProperty("receiverWallet").GetString());
        Assert.Equal(friend.Address, (await factory.CreateClient().GetFromJsonAsync<JsonElement>($"/nft/{shawty}")).GetProperty("ownerWallet").GetString());
        var again = await http.PostAsJsonAsync("/nft/transfer", new { assetId = shawty, receiverWallet = friend.Address });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await factory.CreateClient().GetAsync("/nft/987654321")).StatusCode);
    }

    [Fact]
    public async Task Claiming_someone_elses_or_an_unknown_nft_is_refused()
    {
        var http = await factory.CreateClientAsync(Fan);

        var unknown = await http.PostAsync($"/fan/{Fan.Address}/claim/999999", null);
        var foreign = await http.PostAsync($"/fan/{Creator.Address}/claim/1", null);

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
    }

    [Fact]
    public async Task Params_come_from_the_ledger_and_fund_wallet_credits_at_most_ten_algo()
    {
        var parameters = await factory.CreateClient().GetFromJsonAsync<JsonElement>("/params");
        Assert.Equal("testnet-v1.0", parameters.GetProperty("genesisId").GetString());
        Assert.Equal(parameters.GetProperty("firstValidRound").GetUInt64() + 1000, parameters.GetProperty("lastValidRound").GetUInt64());

        var wallet = new TestWallet(Guid.NewGuid().ToByteArray().Concat(Guid.NewGuid().ToByteArray()).ToArray()).Address;
        var funded = await factory.CreateClient().PostAsJsonAsync("/simulate/fund-wallet", new { walletAddress = wallet, amountAlgo = 2.5 });
        var tooMuch = await factory.CreateClient().PostAsJsonAsync("/simulate/fund-wallet", new { walletAddress = wallet, amountAlgo = 10.5 });

        Assert.Equal("funded", (await BodyAsync(funded.EnsureSuccessStatusCode())).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, tooMuch.StatusCode);
        var account = await factory.Services.GetRequiredService<IAlgodClient>().GetAccountAsync(AlgorandAddress.Parse(wallet));
        Assert.Equal(2_500_000UL, account.Amount);
    }
}
