using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using FanForge.Grains.Algorand;
using FanForge.Grains.Algorand.Clients;
using FanForge.GrainInterfaces.Shawty;
using FanForge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FanForge.Tests.Shawty;

/// <summary>
/// Shawty tokens as real ASAs in the fan's hands, on the development host's simulated ledger: the pending list offers
/// only what a claim can deliver, a claim puts the token in the fan's wallet, lock, unlock and burn act on it with the
/// platform's freeze and clawback, an order's discount burns it on payment, and the fan's own transfer on the chain
/// moves the owner. Retries double nothing.
/// </summary>
public sealed class ShawtyChainTests(FanForgeApiFactory factory) : IClassFixture<FanForgeApiFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);
    private static int window;

    private IAlgodClient Ledger => factory.Services.GetRequiredService<IAlgodClient>();

    private IGrainFactory Grains => factory.Services.GetRequiredService<IGrainFactory>();

    private static TestWallet NewWallet() => new(RandomNumberGenerator.GetBytes(32));

    /// <summary>A distinct validity window per purchase, so equal payments are distinct transactions.</summary>
    private static ulong NextWindow() => 90_000_000 + (ulong)Interlocked.Add(ref window, 10);

    private async Task<(ulong AppId, AlgorandAddress AppAddress)> CreatorAsync() => await factory.RegisterCreatorAsync(NewWallet());

    /// <summary>Buys <paramref name="count"/> tokens with PURCHASE:SHAWTY groups and waits until all are issued; oldest first.</summary>
    private async Task<ulong[]> BuyAsync((ulong AppId, AlgorandAddress AppAddress) app, TestWallet fan, HttpClient http, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var (status, body) = await factory.SubmitGroupAsync(Tipping.TipGroup(fan, app, 2_000_000, "PURCHASE:SHAWTY", NextWindow()));
            Assert.True(status == HttpStatusCode.OK, body.ToString());
        }

        var tokens = await ClusterHosts.EventuallyAsync(() => http.GetFromJsonAsync<JsonElement>($"/shawty/{fan.Address}/tokens?include_spent=true"),
            t => t.GetProperty("total").GetInt32() >= count, Wait, $"{count} Shawty tokens");
        return [.. tokens.GetProperty("tokens").EnumerateArray().Select(t => t.GetProperty("asset_id").GetUInt64()).Order()];
    }

    private static async Task<JsonElement> PendingAsync(HttpClient http, TestWallet fan) =>
        (await HttpAssert.OkAsync(await http.GetAsync($"/fan/{fan.Address}/pending"))).GetProperty("data").GetProperty("pending");

    private async Task OptInAsync(HttpClient http, TestWallet fan, ulong assetId)
    {
        var optIn = await HttpAssert.OkAsync(await http.PostAsJsonAsync("/nft/optin", new { assetId, fanWallet = fan.Address }));
        var unsigned = Transaction.Decode(Convert.FromBase64String(optIn.GetProperty("unsignedTxn").GetString()!));
        await SubmitAsync(SignedTransaction.Sign(unsigned, fan.Signer).Encode());
    }

    private async Task<HttpResponseMessage> SubmitAsync(byte[] signed, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await factory.CreateClient().PostAsJsonAsync("/submit", new { signed_txn = Convert.ToBase64String(signed) });
        Assert.True(response.StatusCode == expected, await response.Content.ReadAsStringAsync());
        return response;
    }

    /// <summary>The nft id the fan's inventory gives the token (what the Fan Hub's Claim button posts).</summary>
    private static async Task<long> NftIdAsync(HttpClient http, TestWallet fan, ulong assetId)
    {
        var inventory = await HttpAssert.OkAsync(await http.GetAsync($"/fan/{fan.Address}/inventory"));
        return inventory.GetProperty("data").EnumerateArray().Single(n => n.GetProperty("asset_id").GetUInt64() == assetId).GetProperty("id").GetInt64();
    }

    private async Task<JsonElement> ClaimAsync(HttpClient http, TestWallet fan, ulong assetId)
    {
        await OptInAsync(http, fan, assetId);
        return await HttpAssert.OkAsync(await http.PostAsync($"/fan/{fan.Address}/claim/{await NftIdAsync(http, fan, assetId)}", null));
    }

    private async Task<AssetHolding?> HoldingAsync(TestWallet wallet, ulong assetId) => await Ledger.GetAccountAssetAsync(AlgorandAddress.Parse(wallet.Address), assetId);

    private async Task<JsonElement> TokenRowAsync(HttpClient http, TestWallet fan, ulong assetId) =>
        (await HttpAssert.OkAsync(await http.GetAsync($"/shawty/{fan.Address}/tokens?include_spent=true")))
            .GetProperty("tokens").EnumerateArray().Single(t => t.GetProperty("asset_id").GetUInt64() == assetId);

    /// <summary>The fan's own asset transfer, signed by the fan's wallet from the ledger's params.</summary>
    private async Task<byte[]> OwnTransferAsync(TestWallet from, TestWallet to, ulong assetId)
    {
        var chain = await Ledger.GetTransactionParamsAsync();
        var transfer = new Transaction
        {
            Type = TransactionType.AssetTransfer, Sender = AlgorandAddress.Parse(from.Address), Fee = 1000, FirstValid = chain.LastRound,
            LastValid = chain.LastRound + 1000, GenesisId = chain.GenesisId, GenesisHash = chain.GenesisHash,
            TransferAssetId = assetId, AssetAmount = 1, AssetReceiver = AlgorandAddress.Parse(to.Address),
        };
        return SignedTransaction.Sign(transfer, from.Signer).Encode();
    }

    [Fact]
    public async Task The_pending_list_offers_only_what_a_claim_delivers_and_every_listed_claim_succeeds()
    {
        var app = await CreatorAsync();
        var (fan, friend) = (NewWallet(), NewWallet());
        var (http, friendHttp) = (await factory.CreateClientAsync(fan), await factory.CreateClientAsync(friend));
        var tokens = await BuyAsync(app, fan, http, 5);
        var (burned, locked, given, claimed, active) = (tokens[0], tokens[1], tokens[2], tokens[3], tokens[4]);
        await HttpAssert.OkAsync(await http.PostAsJsonAsync("/shawty/burn", new { fan_wallet = fan.Address, asset_id = burned, item_description = "Tour tee" }));
        await HttpAssert.OkAsync(await http.PostAsJsonAsync("/shawty/lock", new { fan_wallet = fan.Address, asset_id = locked, discount_description = "10% off" }));
        await HttpAssert.OkAsync(await http.PostAsJsonAsync("/shawty/transfer", new { from_wallet = fan.Address, to_wallet = friend.Address, asset_id = given }));
        await ClaimAsync(http, fan, claimed);
        Assert.Equal(HttpStatusCode.OK, (await factory.SubmitGroupAsync(Tipping.TipGroup(fan, app, 5_000_000, "MEMBERSHIP:BAUNI", NextWindow()))).Status);

        var pending = await ClusterHosts.EventuallyAsync(() => PendingAsync(http, fan), p => p.GetArrayLength() == 2, Wait, "the Bauni badge and the active token");

        Assert.Equal(
            [("bauni", 0UL), ("shawty", active)],
            pending.EnumerateArray().Select(p => (p.GetProperty("nftClass").GetString(), p.GetProperty("nftClass").GetString() == "shawty" ? p.GetProperty("asset_id").GetUInt64() : 0UL)).OrderBy(p => p.Item1));
        Assert.Equal([given], (await PendingAsync(friendHttp, friend)).EnumerateArray().Select(p => p.GetProperty("asset_id").GetUInt64()));

        // Every Claim button the list shows works: opt in, claim, and the NFT is in the wallet.
        foreach (var item in pending.EnumerateArray())
        {
            var assetId = item.GetProperty("asset_id").GetUInt64();
            await OptInAsync(http, fan, assetId);
            var delivered = await HttpAssert.OkAsync(await http.PostAsync($"/fan/{fan.Address}/claim/{item.GetProperty("id").GetInt64()}", null));
            Assert.Equal("delivered", delivered.GetProperty("status").GetString());
            Assert.Equal(1UL, (await HoldingAsync(fan, assetId))!.Amount);
        }

        Assert.Equal(0, (await PendingAsync(http, fan)).GetArrayLength());
        // A token given in custody is claimed by its new owner, not by the buyer.
        Assert.Equal(given, (await ClaimAsync(friendHttp, friend, given)).GetProperty("assetId").GetUInt64());
        Assert.Equal(1UL, (await HoldingAsync(friend, given))!.Amount);
        // What the list left out is refused for what it is, and nothing moved.
        await OptInAsync(http, fan, burned);
        await HttpAssert.ErrorAsync(await http.PostAsync($"/fan/{fan.Address}/claim/{await NftIdAsync(http, fan, burned)}", null), HttpStatusCode.Conflict, ShawtyErrors.AlreadyBurned);
        await OptInAsync(http, fan, locked);
        await HttpAssert.ErrorAsync(await http.PostAsync($"/fan/{fan.Address}/claim/{await NftIdAsync(http, fan, locked)}", null), HttpStatusCode.Conflict, ShawtyErrors.AlreadyLocked);
        Assert.Equal((0UL, 0UL), ((await HoldingAsync(fan, burned))!.Amount, (await HoldingAsync(fan, locked))!.Amount));
    }

    [Fact]
    public async Task A_claimed_token_is_in_the_wallet_and_lock_unlock_and_burn_act_on_the_chain_once()
    {
        var app = await CreatorAsync();
        var fan = NewWallet();
        var http = await factory.CreateClientAsync(fan);
        var token = (await BuyAsync(app, fan, http, 1))[0];
        var platform = (await Ledger.GetAssetAsync(token))!.Params.Creator;

        // Before the opt-in the claim is refused and the token stays in custody, claimable.
        var nftId = await NftIdAsync(http, fan, token);
        await HttpAssert.ErrorAsync(await http.PostAsync($"/fan/{fan.Address}/claim/{nftId}", null), HttpStatusCode.BadRequest, "not_opted_in");
        Assert.False((await TokenRowAsync(http, fan, token)).GetProperty("in_wallet").GetBoolean());

        var claimed = await ClaimAsync(http, fan, token);
        var again = await HttpAssert.OkAsync(await http.PostAsync($"/fan/{fan.Address}/claim/{nftId}", null));

        Assert.Equal(claimed.GetProperty("txId").GetString(), again.GetProperty("txId").GetString());
        Assert.Equal(new AssetHolding(token, 1, false), await HoldingAsync(fan, token));
        var asset = (await Ledger.GetAssetAsync(token))!.Params;
        Assert.Equal((platform, platform, platform, false), (asset.Freeze, asset.Clawback, asset.Manager, asset.DefaultFrozen));
        var row = await TokenRowAsync(http, fan, token);
        Assert.Equal((true, fan.Address, false), (row.GetProperty("in_wallet").GetBoolean(), row.GetProperty("ledger_holder").GetString(), row.GetProperty("ledger_frozen").GetBoolean()));

        // Lock (as an order does) freezes the holding; the same lock again changes nothing; the frozen holder cannot move it.
        var shawty = Grains.GetGrain<IShawtyToken>((long)token);
        const string Reason = "Discount for merch order 424242";
        await shawty.LockAsync(fan.Address, Reason);
        var relocked = await shawty.LockAsync(fan.Address, Reason);
        Assert.Equal(new AssetHolding(token, 1, true), await HoldingAsync(fan, token));
        Assert.Equal((true, true), (relocked.LedgerFrozen, relocked.IsLocked));
        Assert.Single(relocked.Audit, e => e.Type == ShawtyEntryTypes.LockDiscount);
        await SubmitAsync(await OwnTransferAsync(fan, NewWallet(), token), HttpStatusCode.BadRequest);

        // Unlock (the order ended unpaid) unfreezes it.
        var released = await shawty.ReleaseLockAsync(fan.Address, Reason);
        await shawty.ReleaseLockAsync(fan.Address, Reason);
        Assert.Equal((ShawtyStatus.Active, false), (released.Status, released.LedgerFrozen));
        Assert.Equal(new AssetHolding(token, 1, false), await HoldingAsync(fan, token));

        // A claimed token is not given away in custody: it moves from the wallet.
        await HttpAssert.ErrorAsync(await http.PostAsJsonAsync("/shawty/transfer", new { from_wallet = fan.Address, to_wallet = NewWallet().Address, asset_id = token }),
            HttpStatusCode.Conflict, ShawtyErrors.InWallet);

        // Burn claws it back to the platform and destroys the ASA; a retried burn answers the same and moves nothing.
        var burn = new { fan_wallet = fan.Address, asset_id = token, item_description = "Signed poster" };
        await HttpAssert.OkAsync(await http.PostAsJsonAsync("/shawty/burn", burn));
        await HttpAssert.OkAsync(await http.PostAsJsonAsync("/shawty/burn", burn));
        Assert.Equal(0UL, (await HoldingAsync(fan, token))!.Amount);
        Assert.Null(await Ledger.GetAssetAsync(token));
        var burned = (await shawty.GetAsync())!;
        Assert.Equal((ShawtyStatus.Burned, platform, false), (burned.Status, burned.LedgerHolder, burned.InWallet));
        Assert.Single(burned.Audit, e => e.Type == ShawtyEntryTypes.BurnMerch);
        Assert.Single(await Grains.GetGrain<IFanShawty>(fan.Address).GetRedemptionsAsync(10));
    }

    [Fact]
    public async Task An_orders_discount_locks_the_claimed_token_on_chain_and_burns_it_when_the_order_is_paid()
    {
        var creator = NewWallet();
        var app = await factory.RegisterCreatorAsync(creator);
        var creatorHttp = await factory.CreateClientAsync(creator);
        var product = (await HttpAssert.OkAsync(await creatorHttp.PostAsJsonAsync($"/creator/{creator.Address}/products",
            new { slug = "chain-tee", name = "Chain Tee", price_algo = 3.0, stock_quantity = 10 }))).GetProperty("data").GetProperty("id").GetInt64();
        await HttpAssert.OkAsync(await creatorHttp.PostAsJsonAsync($"/creator/{creator.Address}/discounts", new { discountType = "PERCENT", value = 10, minShawtyTokens = 1 }));
        var fan = NewWallet();
        var http = await factory.CreateClientAsync(fan);
        var token = (await BuyAsync(app, fan, http, 1))[0];
        await ClaimAsync(http, fan, token);

        var cart = new { fanWallet = fan.Address, items = new[] { new { productId = product, quantity = 1 } }, shawtyAssetIds = new[] { token } };
        var placed = (await HttpAssert.OkAsync(await http.PostAsJsonAsync($"/creator/{creator.Address}/store/order", cart))).GetProperty("data");
        Assert.Equal(new AssetHolding(token, 1, true), await HoldingAsync(fan, token));

        var unsigned = placed.GetProperty("payment").GetProperty("unsigned_txns").EnumerateArray().Select(t => Transaction.Decode(Convert.FromBase64String(t.GetString()!)));
        var (paid, body) = await factory.SubmitGroupAsync([.. unsigned.Select(t => Convert.ToBase64String(SignedTransaction.Sign(t, fan.Signer).Encode()))]);
        Assert.True(paid == HttpStatusCode.OK, body.ToString());

        await ClusterHosts.EventuallyAsync(() => Ledger.GetAssetAsync(token), asset => asset is null, Wait, "the burned token's ASA destroyed");
        // Clawed back from the frozen holding: the emptied holding keeps its flag, the unit is gone with the ASA.
        Assert.Equal(new AssetHolding(token, 0, true), await HoldingAsync(fan, token));
        var validate = await factory.CreateClient().GetFromJsonAsync<JsonElement>($"/shawty/{fan.Address}/validate/{token}");
        Assert.True(validate.GetProperty("is_burned").GetBoolean());
        var orders = await HttpAssert.OkAsync(await http.GetAsync($"/fan/{fan.Address}/orders"));
        Assert.Equal("PAID", orders.GetProperty("data")[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_fans_own_transfer_on_the_chain_moves_the_owner_once()
    {
        var app = await CreatorAsync();
        var (fan, friend) = (NewWallet(), NewWallet());
        var (http, friendHttp) = (await factory.CreateClientAsync(fan), await factory.CreateClientAsync(friend));
        var token = (await BuyAsync(app, fan, http, 1))[0];
        await ClaimAsync(http, fan, token);
        await OptInAsync(friendHttp, friend, token);

        var transfer = await OwnTransferAsync(fan, friend, token);
        var first = await (await SubmitAsync(transfer)).Content.ReadFromJsonAsync<JsonElement>();
        var resent = await (await SubmitAsync(transfer)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(first.GetProperty("txId").GetString(), resent.GetProperty("txId").GetString());

        var friendTokens = await ClusterHosts.EventuallyAsync(() => friendHttp.GetFromJsonAsync<JsonElement>($"/shawty/{friend.Address}/tokens"),
            t => t.GetProperty("total").GetInt32() == 1, Wait, "the token in the friend's list");
        var row = friendTokens.GetProperty("tokens")[0];
        Assert.Equal((token, true, friend.Address), (row.GetProperty("asset_id").GetUInt64(), row.GetProperty("in_wallet").GetBoolean(), row.GetProperty("ledger_holder").GetString()));
        Assert.Equal(0, (await http.GetFromJsonAsync<JsonElement>($"/shawty/{fan.Address}/tokens")).GetProperty("total").GetInt32());
        Assert.Equal(friend.Address, (await factory.CreateClient().GetFromJsonAsync<JsonElement>($"/nft/{token}")).GetProperty("owner_wallet").GetString());
        var view = (await Grains.GetGrain<IShawtyToken>((long)token).GetAsync())!;
        Assert.Single(view.Audit, e => e.Type == ShawtyEntryTypes.Transfer && e.ByWallet == fan.Address && e.ToWallet == friend.Address);

        // The former owner's writes are stale; the new owner's act on the new holding.
        await HttpAssert.ErrorAsync(await http.PostAsJsonAsync("/shawty/burn", new { fan_wallet = fan.Address, asset_id = token, item_description = "Mug" }),
            HttpStatusCode.Conflict, ShawtyErrors.Transferred);
        await HttpAssert.OkAsync(await friendHttp.PostAsJsonAsync("/shawty/burn", new { fan_wallet = friend.Address, asset_id = token, item_description = "Mug" }));
        Assert.Equal(0UL, (await HoldingAsync(friend, token))!.Amount);
        Assert.Null(await Ledger.GetAssetAsync(token));
    }
}
