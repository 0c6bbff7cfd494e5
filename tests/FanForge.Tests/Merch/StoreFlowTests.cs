using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FanForge.Grains.Algorand;
using FanForge.Tests.Infrastructure;

namespace FanForge.Tests.Merch;

/// <summary>
/// The store end to end on the development host: the creator lists a product and a Shawty discount, the fan buys a
/// Shawty with a signed group, quotes, orders, signs the returned payment group and the chain watcher marks it paid.
/// </summary>
public sealed class StoreFlowTests(FanForgeApiFactory factory) : IClassFixture<FanForgeApiFactory>
{
    private static readonly TestWallet Creator = new(252);
    private static readonly TestWallet Fan = new(253);


    [Fact]
    public async Task A_fan_holding_a_shawty_orders_with_its_discount_and_pays_with_the_signed_group()
    {
        var app = await factory.RegisterCreatorAsync(Creator);
        var creatorHttp = await factory.CreateClientAsync(Creator);
        var product = (await HttpAssert.OkAsync(await creatorHttp.PostAsJsonAsync($"/creator/{Creator.Address}/products",
            new { slug = "tour-tee", name = "Tour Tee", price_algo = 3.0, stock_quantity = 10 }))).GetProperty("data");
        var productId = product.GetProperty("id").GetInt64();
        var rule = (await HttpAssert.OkAsync(await creatorHttp.PostAsJsonAsync($"/creator/{Creator.Address}/discounts",
            new { discountType = "PERCENT", value = 10, minShawtyTokens = 1 }))).GetProperty("data");

        var (bought, _) = await factory.SubmitGroupAsync(Tipping.TipGroup(Fan, app, 2_000_000, "PURCHASE:SHAWTY", 70_000_000));
        Assert.Equal(HttpStatusCode.OK, bought);
        var fanHttp = await factory.CreateClientAsync(Fan);
        var tokens = await ClusterHosts.EventuallyAsync(() => fanHttp.GetFromJsonAsync<JsonElement>($"/shawty/{Fan.Address}/tokens"),
            t => t.GetProperty("total").GetInt32() == 1, TimeSpan.FromSeconds(10), "the Shawty token");
        var token = tokens.GetProperty("tokens")[0].GetProperty("asset_id").GetUInt64();

        var cart = new { fanWallet = Fan.Address, items = new[] { new { productId, quantity = 2 } }, shawtyAssetIds = new[] { token } };
        var quote = await HttpAssert.OkAsync(await fanHttp.PostAsJsonAsync($"/creator/{Creator.Address}/store/quote", cart));
        Assert.Equal((6.0m, 0.6m, 5.4m), (quote.GetProperty("subtotal_algo").GetDecimal(), quote.GetProperty("discount_algo").GetDecimal(), quote.GetProperty("total_algo").GetDecimal()));
        Assert.Equal(rule.GetProperty("id").GetInt64(), quote.GetProperty("applied_discount_rule_id").GetInt64());

        using var place = new HttpRequestMessage(HttpMethod.Post, $"/creator/{Creator.Address}/store/order") { Content = JsonContent.Create(cart) };
        place.Headers.Add("X-Idempotency-Key", "checkout-42");
        var placed = (await HttpAssert.OkAsync(await fanHttp.SendAsync(place))).GetProperty("data");
        var order = placed.GetProperty("order");
        Assert.Equal(("PENDING_PAYMENT", 5.4m), (order.GetProperty("status").GetString(), order.GetProperty("total_algo").GetDecimal()));
        var memo = placed.GetProperty("payment").GetProperty("memo").GetString();
        Assert.Equal($"ORDER:{order.GetProperty("id").GetInt64()}", memo);
        Assert.True((await factory.CreateClient().GetFromJsonAsync<JsonElement>($"/shawty/{Fan.Address}/validate/{token}")).GetProperty("is_locked").GetBoolean());

        // The wallet signs the group exactly as returned: [pay 5.4 ALGO → app account, app call ("tip", memo)].
        var unsigned = placed.GetProperty("payment").GetProperty("unsigned_txns").EnumerateArray().Select(t => Transaction.Decode(Convert.FromBase64String(t.GetString()!))).ToList();
        Assert.Equal((5_400_000UL, app.AppAddress, app.AppId), (unsigned[0].Amount, unsigned[0].Receiver, unsigned[1].ApplicationId));
        var signed = unsigned.Select(t => Convert.ToBase64String(SignedTransaction.Sign(t, Fan.Signer).Encode())).ToArray();
        var (paidStatus, paidBody) = await factory.SubmitGroupAsync(signed);
        Assert.True(paidStatus == HttpStatusCode.OK, paidBody.ToString());

        var orders = await ClusterHosts.EventuallyAsync(() => fanHttp.GetFromJsonAsync<JsonElement>($"/fan/{Fan.Address}/orders"),
            o => o.GetProperty("data")[0].GetProperty("status").GetString() == "PAID", TimeSpan.FromSeconds(10), "the paid order");
        Assert.Equal(1, orders.GetProperty("meta").GetProperty("total").GetInt32());
        var validate = await factory.CreateClient().GetFromJsonAsync<JsonElement>($"/shawty/{Fan.Address}/validate/{token}");
        Assert.True(validate.GetProperty("is_burned").GetBoolean());
        var store = await factory.CreateClient().GetFromJsonAsync<JsonElement>($"/creator/{Creator.Address}/store");
        Assert.Equal(8, store.GetProperty("data").EnumerateArray().Single(p => p.GetProperty("id").GetInt64() == productId).GetProperty("stock_quantity").GetInt32());

        // A retry of the order request returns the same order.
        using var retry = new HttpRequestMessage(HttpMethod.Post, $"/creator/{Creator.Address}/store/order") { Content = JsonContent.Create(cart) };
        retry.Headers.Add("X-Idempotency-Key", "checkout-42");
        var again = (await HttpAssert.OkAsync(await fanHttp.SendAsync(retry))).GetProperty("data").GetProperty("order");
        Assert.Equal((order.GetProperty("id").GetInt64(), "PAID"), (again.GetProperty("id").GetInt64(), again.GetProperty("status").GetString()));
    }
    [Fact]
    public async Task A_cancelled_order_frees_the_last_item_for_another_fan_at_once_and_its_late_payment_is_owed_back()
    {
        var (creator, first, second) = (new TestWallet(249), new TestWallet(250), new TestWallet(251));
        await factory.RegisterCreatorAsync(creator);
        var creatorHttp = await factory.CreateClientAsync(creator);
        var productId = (await HttpAssert.OkAsync(await creatorHttp.PostAsJsonAsync($"/creator/{creator.Address}/products",
            new { slug = "last-tee", name = "Last Tee", price_algo = 1.0, stock_quantity = 1 }))).GetProperty("data").GetProperty("id").GetInt64();
        object Cart(TestWallet fan) => new { fanWallet = fan.Address, items = new[] { new { productId, quantity = 1 } } };
        var firstHttp = await factory.CreateClientAsync(first);
        var secondHttp = await factory.CreateClientAsync(second);
        var placed = (await HttpAssert.OkAsync(await firstHttp.PostAsJsonAsync($"/creator/{creator.Address}/store/order", Cart(first)))).GetProperty("data");
        var orderId = placed.GetProperty("order").GetProperty("id").GetInt64();
        await HttpAssert.ErrorAsync(await secondHttp.PostAsJsonAsync($"/creator/{creator.Address}/store/order", Cart(second)), HttpStatusCode.Conflict, "insufficient_stock");

        // Another fan cannot cancel it (their path is their own wallet, where the order is not).
        await HttpAssert.ErrorAsync(await secondHttp.PostAsync($"/fan/{second.Address}/orders/{orderId}/cancel", null), HttpStatusCode.NotFound, "not_found");
        var cancelled = (await HttpAssert.OkAsync(await firstHttp.PostAsync($"/fan/{first.Address}/orders/{orderId}/cancel", null))).GetProperty("data");
        var again = (await HttpAssert.OkAsync(await firstHttp.PostAsync($"/fan/{first.Address}/orders/{orderId}/cancel", null))).GetProperty("data");
        Assert.Equal(("CANCELLED", "CANCELLED"), (cancelled.GetProperty("status").GetString(), again.GetProperty("status").GetString()));

        // No reminder has run: the stock came back with the cancel itself.
        var bought = (await HttpAssert.OkAsync(await secondHttp.PostAsJsonAsync($"/creator/{creator.Address}/store/order", Cart(second)))).GetProperty("data");
        var secondId = bought.GetProperty("order").GetProperty("id").GetInt64();

        // The first fan's wallet still signs and sends the group it was given: the money is kept and owed back.
        var signed = placed.GetProperty("payment").GetProperty("unsigned_txns").EnumerateArray()
            .Select(t => Convert.ToBase64String(SignedTransaction.Sign(Transaction.Decode(Convert.FromBase64String(t.GetString()!)), first.Signer).Encode())).ToArray();
        var (status, body) = await factory.SubmitGroupAsync(signed);
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        var orders = await ClusterHosts.EventuallyAsync(() => firstHttp.GetFromJsonAsync<JsonElement>($"/fan/{first.Address}/orders"),
            o => o.GetProperty("data")[0].GetProperty("paid_algo").GetDecimal() == 1.0m, TimeSpan.FromSeconds(10), "the late payment");
        var late = orders.GetProperty("data")[0];
        Assert.Equal(("CANCELLED", 1.0m), (late.GetProperty("status").GetString(), late.GetProperty("refund_due_algo").GetDecimal()));

        // The second fan pays (on chain) and can no longer cancel.
        var secondSigned = bought.GetProperty("payment").GetProperty("unsigned_txns").EnumerateArray()
            .Select(t => Convert.ToBase64String(SignedTransaction.Sign(Transaction.Decode(Convert.FromBase64String(t.GetString()!)), second.Signer).Encode())).ToArray();
        Assert.Equal(HttpStatusCode.OK, (await factory.SubmitGroupAsync(secondSigned)).Status);
        await ClusterHosts.EventuallyAsync(() => secondHttp.GetFromJsonAsync<JsonElement>($"/fan/{second.Address}/orders"),
            o => o.GetProperty("data")[0].GetProperty("status").GetString() == "PAID", TimeSpan.FromSeconds(10), "the second order paid");
        await HttpAssert.ErrorAsync(await secondHttp.PostAsync($"/fan/{second.Address}/orders/{secondId}/cancel", null), HttpStatusCode.Conflict, "order_not_cancellable");
    }
}
