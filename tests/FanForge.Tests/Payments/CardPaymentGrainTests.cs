using System.Security.Cryptography;
using FanForge.GrainInterfaces.Errors;
using FanForge.GrainInterfaces.Loyalty;
using FanForge.GrainInterfaces.Merch;
using FanForge.GrainInterfaces.Nfts;
using FanForge.GrainInterfaces.Shawty;
using FanForge.Tests.Infrastructure;
using FanForge.Tests.Merch;

namespace FanForge.Tests.Payments;

/// <summary>
/// Card events on the order grain: the same Paid transition and follow-up as a chain payment, once per event id,
/// correct in any order; creator sales move once per transition. Orders here have a 2 s window on a fake clock.
/// </summary>
public sealed class CardPaymentGrainTests(OrderClusterFixture fixture) : IClassFixture<OrderClusterFixture>
{
    private const long Amount = 120; // 6 ALGO at 20 minor units per ALGO
    private static long nextAsset = 7_000_000;

    private IGrainFactory Grains => fixture.Cluster.Client;

    private static string NewWallet() => new TestWallet(RandomNumberGenerator.GetBytes(32)).Address;

    private async Task<(IOrder Order, long Product, string Creator)> PlaceAsync(bool withToken = false)
    {
        var (creator, fan) = (NewWallet(), NewWallet());
        var product = await Grains.GetGrain<ICreatorCatalog>(creator).CreateAsync(
            new ProductDraft($"tee-{Guid.NewGuid():N}"[..20], "Tee", null, null, 3_000_000, 10, MaxPerOrder: 5), null);
        ulong[] tokens = [];
        if (withToken)
        {
            await Grains.GetGrain<ICreatorDiscounts>(creator).AddAsync(new NewDiscountRule(null, DiscountType.Percent, 1000, 1, false, MaxUsesPerWallet: 1), null);
            var asset = (ulong)Interlocked.Increment(ref nextAsset);
            var at = fixture.Time.GetUtcNow();
            await Grains.GetGrain<IShawtyToken>((long)asset).IssueAsync(new ShawtyIssue(fan, creator, $"BUY-{asset}", 2_000_000, at,
                new NftRecord(1, asset, fan, creator, "shawty", "golden", "Shawty Token", "ipfs://x", $"MINT-{asset}", at, DeliveryStatus.PendingOptIn)));
            await Grains.GetGrain<IFanShawty>(fan).AddHeldAsync(asset);
            tokens = [asset];
        }

        var order = Grains.GetGrain<IOrder>(await Grains.GetGrain<IFanOrders>(fan).OpenAsync(null));
        await order.PlaceAsync(new PlaceOrder(creator, fan, [new CartLine(product.Id, 2)], tokens));
        return (order, product.Id, creator);
    }

    private async Task<CardCheckout> CheckoutAsync(IOrder order, long amount = Amount)
    {
        await order.StartCardCheckoutAsync(amount, "usd", TimeSpan.FromMinutes(31));
        return await order.RecordCheckoutSessionAsync($"cs_{Guid.NewGuid():N}", "https://checkout.stripe.com/c/pay/x");
    }

    private CardEvent Completed(CardCheckout checkout, long amount = Amount, string intent = "pi_1") =>
        new($"evt_{Guid.NewGuid():N}", CardEventKind.CheckoutCompleted, checkout.SessionId, intent, amount, "usd", null, false, fixture.Time.GetUtcNow());

    private CardEvent Refund(long amount = Amount, bool full = true, string intent = "pi_1") =>
        new($"evt_{Guid.NewGuid():N}", CardEventKind.Refunded, null, intent, amount, "usd", null, full, fixture.Time.GetUtcNow());

    private CardEvent Other(CardEventKind kind, string? reason = null) =>
        new($"evt_{Guid.NewGuid():N}", kind, null, "pi_1", Amount, "usd", reason, false, fixture.Time.GetUtcNow());

    private async Task<ProductStock> StockAsync(long product) => (await Grains.GetGrain<IProduct>(product).GetStockAsync())!;

    private Task<CreatorSalesTotals> SalesAsync(string creator) => Grains.GetGrain<ICreatorSales>(creator).GetAsync();

    [Fact]
    public async Task A_completed_checkout_pays_the_order_like_a_chain_payment_and_a_replay_changes_nothing()
    {
        var (order, product, creator) = await PlaceAsync(withToken: true);
        var placed = (await order.GetAsync())!;
        var checkout = await CheckoutAsync(order);
        var completed = Completed(checkout);

        var first = await order.ApplyCardEventAsync(completed);
        var replay = await order.ApplyCardEventAsync(completed);

        Assert.Equal((CardEventOutcome.Applied, OrderStatus.Paid, PaymentMethod.Card), (first.Outcome, first.Order!.Status, first.Order.PaidBy));
        Assert.Equal((Amount, "pi_1"), (first.Order.Card!.PaidMinor, first.Order.Card.PaymentIntentId));
        Assert.Equal(CardEventOutcome.Duplicate, replay.Outcome);
        Assert.Equal((0, 2, 8), ((await StockAsync(product)).Reserved, (await StockAsync(product)).Sold, (await StockAsync(product)).Available));
        Assert.Equal(ShawtyStatus.Burned, (await Grains.GetGrain<IShawtyToken>((long)placed.ShawtyTokens[0]).GetAsync())!.Status);
        Assert.Equal(1, (await Grains.GetGrain<IDiscountUsage>(FanLoyaltyKey.For(creator, placed.Fan)).GetAsync())[placed.AppliedRuleId!.Value]);
        Assert.Equal(new CreatorSalesTotals(1, placed.TotalMicroAlgo, 0, 0), await SalesAsync(creator));

        // Another event meaning the same payment (a second delivery under a new id) does not pay twice either.
        Assert.Equal(CardEventOutcome.Ignored, (await order.ApplyCardEventAsync(Completed(checkout))).Outcome);
        Assert.Equal(2, (await StockAsync(product)).Sold);
        Assert.Equal(1, (await SalesAsync(creator)).PaidCount);
    }

    [Fact]
    public async Task Completed_then_refunded_ends_refunded_with_the_creator_sales_reversed_once()
    {
        var (order, product, creator) = await PlaceAsync();
        var checkout = await CheckoutAsync(order);
        await order.ApplyCardEventAsync(Completed(checkout));
        var refund = Refund();

        var refunded = await order.ApplyCardEventAsync(refund);
        await order.ApplyCardEventAsync(refund);
        var afterwards = await order.ApplyCardEventAsync(Completed(checkout));

        Assert.Equal((CardEventOutcome.Applied, OrderStatus.Refunded), (refunded.Outcome, refunded.Order!.Status));
        Assert.Equal((CardEventOutcome.Ignored, OrderStatus.Refunded), (afterwards.Outcome, afterwards.Order!.Status));
        Assert.Equal(new CreatorSalesTotals(1, 6_000_000, 1, 6_000_000), await SalesAsync(creator));
        Assert.Equal(2, (await StockAsync(product)).Sold); // sold stays sold: restocking is the creator's call
    }

    [Fact]
    public async Task A_refund_that_overtakes_the_completion_still_ends_refunded_and_the_completion_never_pays()
    {
        var (order, product, creator) = await PlaceAsync();
        var checkout = await CheckoutAsync(order);

        var refunded = await order.ApplyCardEventAsync(Refund());
        var completed = await order.ApplyCardEventAsync(Completed(checkout));

        Assert.Equal((CardEventOutcome.Applied, OrderStatus.Refunded), (refunded.Outcome, refunded.Order!.Status));
        Assert.Equal((CardEventOutcome.Ignored, OrderStatus.Refunded, (DateTimeOffset?)null), (completed.Outcome, completed.Order!.Status, completed.Order.PaidAt));
        var stock = await StockAsync(product);
        Assert.Equal((0, 0, 10), (stock.Reserved, stock.Sold, stock.Available)); // released: nothing was sold
        Assert.Equal(new CreatorSalesTotals(0, 0, 0, 0), await SalesAsync(creator));
    }

    [Fact]
    public async Task An_expired_session_after_payment_never_unpays_and_before_payment_leaves_the_order_pending()
    {
        var (paid, _, _) = await PlaceAsync();
        await paid.ApplyCardEventAsync(Completed(await CheckoutAsync(paid)));
        var (pending, product, _) = await PlaceAsync();
        await CheckoutAsync(pending);

        var late = await paid.ApplyCardEventAsync(Other(CardEventKind.CheckoutExpired));
        var early = await pending.ApplyCardEventAsync(Other(CardEventKind.CheckoutExpired));

        Assert.Equal((CardEventOutcome.Ignored, OrderStatus.Paid), (late.Outcome, late.Order!.Status));
        Assert.Equal((CardEventOutcome.Ignored, OrderStatus.PendingPayment), (early.Outcome, early.Order!.Status));
        Assert.Equal(2, (await StockAsync(product)).Reserved);
    }

    [Fact]
    public async Task A_completion_for_another_amount_is_recorded_and_the_order_stays_pending_until_the_right_one()
    {
        var (order, product, creator) = await PlaceAsync();
        var checkout = await CheckoutAsync(order);

        var wrong = await order.ApplyCardEventAsync(Completed(checkout, amount: Amount - 1));
        Assert.Equal((CardEventOutcome.Recorded, OrderStatus.PendingPayment), (wrong.Outcome, wrong.Order!.Status));
        Assert.StartsWith("amount_mismatch", wrong.Order.Card!.Issue);
        Assert.Equal(Amount - 1, wrong.Order.Card.PaidMinor);
        Assert.Equal((2, 0), ((await StockAsync(product)).Reserved, (await SalesAsync(creator)).PaidCount));

        var right = await order.ApplyCardEventAsync(Completed(checkout));
        Assert.Equal((CardEventOutcome.Applied, OrderStatus.Paid), (right.Outcome, right.Order!.Status));
    }

    [Fact]
    public async Task A_failed_payment_is_recorded_and_the_order_stays_pending()
    {
        var (order, _, _) = await PlaceAsync();
        await CheckoutAsync(order);

        var failed = await order.ApplyCardEventAsync(Other(CardEventKind.PaymentFailed, "insufficient_funds"));

        Assert.Equal((CardEventOutcome.Recorded, OrderStatus.PendingPayment, "insufficient_funds"), (failed.Outcome, failed.Order!.Status, failed.Order.Card!.LastFailure));
    }

    [Fact]
    public async Task A_partial_refund_is_recorded_and_the_order_stays_paid()
    {
        var (order, _, creator) = await PlaceAsync();
        await order.ApplyCardEventAsync(Completed(await CheckoutAsync(order)));

        var partial = await order.ApplyCardEventAsync(Refund(amount: 60, full: false));

        Assert.Equal((CardEventOutcome.Recorded, OrderStatus.Paid, 60L), (partial.Outcome, partial.Order!.Status, partial.Order.Card!.RefundedMinor));
        Assert.Equal(0, (await SalesAsync(creator)).RefundedCount);
    }

    [Fact]
    public async Task Checkout_terms_are_fixed_once_extend_a_short_window_to_the_session_and_need_a_pending_order()
    {
        var (order, _, _) = await PlaceAsync();
        var placed = (await order.GetAsync())!;
        var now = fixture.Time.GetUtcNow();

        var first = await order.StartCardCheckoutAsync(Amount, "usd", TimeSpan.FromMinutes(31));
        var again = await order.StartCardCheckoutAsync(Amount + 5, "eur", TimeSpan.FromMinutes(31));

        Assert.Equal(first, again);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds((now + TimeSpan.FromMinutes(31)).ToUnixTimeSeconds()), first.ExpiresAt);
        Assert.True(placed.ExpiresAt < first.ExpiresAt);
        Assert.Equal(first.ExpiresAt, (await order.GetAsync())!.ExpiresAt);

        await order.ApplyCardEventAsync(Completed(await order.RecordCheckoutSessionAsync("cs_x", "https://checkout.stripe.com/c/pay/cs_x")));
        var refused = await Assert.ThrowsAsync<DomainException>(() => order.StartCardCheckoutAsync(Amount, "usd", TimeSpan.FromMinutes(31)));
        Assert.Equal("order_not_payable", refused.Code);
    }

    [Fact]
    public async Task A_chain_payment_counts_in_the_creator_sales_once()
    {
        var (order, _, creator) = await PlaceAsync();
        var placed = (await order.GetAsync())!;
        var payment = new ChainTip(placed.Fan, placed.Creator, placed.TotalMicroAlgo, placed.Memo, new ChainPosition(9_000_000, 0), "PAY-X", fixture.Time.GetUtcNow());

        await order.ApplyPaymentAsync(payment);
        await order.ApplyPaymentAsync(payment);

        Assert.Equal(new CreatorSalesTotals(1, 6_000_000, 0, 0), await SalesAsync(creator));
        // A card refund cannot undo a chain payment: it is recorded for a person to settle.
        var refund = await order.ApplyCardEventAsync(Refund());
        Assert.Equal((CardEventOutcome.Recorded, OrderStatus.Paid), (refund.Outcome, refund.Order!.Status));
    }
}
