using System.Security.Cryptography;
using FanForge.Grains;
using FanForge.Grains.Merch;
using FanForge.GrainInterfaces.Errors;
using FanForge.GrainInterfaces.Loyalty;
using FanForge.GrainInterfaces.Merch;
using FanForge.GrainInterfaces.Nfts;
using FanForge.GrainInterfaces.Shawty;
using FanForge.Silo;
using FanForge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace FanForge.Tests.Merch;

/// <summary>A cluster of its own: orders expire after two seconds of a business clock the tests move.</summary>
public sealed class OrderClusterFixture : IAsyncLifetime
{
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.Zero));

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await TestClusters.StartAsync(1, new AlgorandSettings(), services =>
    {
        services.AddSingleton(new BusinessClock(Time));
        services.Configure<MerchOptions>(o => o.PaymentWindow = TimeSpan.FromSeconds(2));
    });

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

public sealed class OrderGrainTests(OrderClusterFixture fixture) : IClassFixture<OrderClusterFixture>
{
    private static long nextId = 5_000_000;
    private static ulong round = 1;

    private IGrainFactory Grains => fixture.Cluster.Client;

    private static string NewWallet() => new TestWallet(RandomNumberGenerator.GetBytes(32)).Address;

    private async Task<ProductView> ProductAsync(string creator, int stock = 10, long price = 3_000_000) =>
        await Grains.GetGrain<ICreatorCatalog>(creator).CreateAsync(new ProductDraft($"tee-{Guid.NewGuid():N}"[..20], "Tee", null, null, price, stock, MaxPerOrder: 5), null);

    private async Task<ulong> ShawtyAsync(string creator, string fan)
    {
        var asset = (ulong)Interlocked.Increment(ref nextId);
        var at = fixture.Time.GetUtcNow();
        await Grains.GetGrain<IShawtyToken>((long)asset).IssueAsync(new ShawtyIssue(fan, creator, $"BUY-{asset}", 2_000_000, at,
            new NftRecord(1, asset, fan, creator, "shawty", "golden", "Shawty Token", "ipfs://x", $"MINT-{asset}", at, DeliveryStatus.PendingOptIn)));
        await Grains.GetGrain<IFanShawty>(fan).AddHeldAsync(asset);
        return asset;
    }

    private async Task<IOrder> PlaceAsync(string creator, string fan, long product, int quantity, params ulong[] tokens)
    {
        var id = await Grains.GetGrain<IFanOrders>(fan).OpenAsync(null);
        var order = Grains.GetGrain<IOrder>(id);
        await order.PlaceAsync(new PlaceOrder(creator, fan, [new CartLine(product, quantity)], tokens));
        return order;
    }

    private ChainTip Payment(OrderView order, long micro) =>
        new(order.Fan, order.Creator, micro, order.Memo, new ChainPosition(Interlocked.Increment(ref round), 0), $"PAY-{Guid.NewGuid():N}", fixture.Time.GetUtcNow());

    private Task<ProductStock?> StockAsync(long product) => Grains.GetGrain<IProduct>(product).GetStockAsync();

    private async Task<ShawtyStatus> TokenAsync(ulong asset) => (await Grains.GetGrain<IShawtyToken>((long)asset).GetAsync())!.Status;

    [Fact]
    public async Task A_paid_order_sells_its_stock_burns_its_token_and_uses_its_discount_once()
    {
        var (creator, fan) = (NewWallet(), NewWallet());
        var product = await ProductAsync(creator, stock: 10);
        var rule = await Grains.GetGrain<ICreatorDiscounts>(creator).AddAsync(new NewDiscountRule(null, DiscountType.Percent, 1000, 1, false, MaxUsesPerWallet: 1), null);
        var token = await ShawtyAsync(creator, fan);

        var order = await PlaceAsync(creator, fan, product.Id, 2, token);
        var placed = (await order.GetAsync())!;
        Assert.Equal((OrderStatus.PendingPayment, 6_000_000L, 600_000L, 5_400_000L, (long?)rule.Id), (placed.Status, placed.SubtotalMicroAlgo, placed.DiscountMicroAlgo, placed.TotalMicroAlgo, placed.AppliedRuleId));
        Assert.Equal((10, 2, 8), ((await StockAsync(product.Id))!.Stock, (await StockAsync(product.Id))!.Reserved, (await StockAsync(product.Id))!.Available));
        Assert.Equal(ShawtyStatus.Locked, await TokenAsync(token));

        var paid = (await order.ApplyPaymentAsync(Payment(placed, 5_400_000)))!;

        Assert.Equal((OrderStatus.Paid, 0L), (paid.Status, paid.RefundDueMicroAlgo));
        var stock = (await StockAsync(product.Id))!;
        Assert.Equal((0, 2, 8), (stock.Reserved, stock.Sold, stock.Available));
        Assert.Equal(ShawtyStatus.Burned, await TokenAsync(token));
        Assert.Equal(1, (await Grains.GetGrain<IDiscountUsage>(FanLoyaltyKey.For(creator, fan)).GetAsync())[rule.Id]);

        // The rule allows one use per wallet: the next order with another token pays full price.
        var second = (await (await PlaceAsync(creator, fan, product.Id, 1, await ShawtyAsync(creator, fan))).GetAsync())!;
        Assert.Equal((0L, (long?)null), (second.DiscountMicroAlgo, second.AppliedRuleId));
    }

    [Fact]
    public async Task Payments_accumulate_an_underpayment_waits_and_an_overpayment_is_owed_back()
    {
        var (creator, fan) = (NewWallet(), NewWallet());
        var product = await ProductAsync(creator);
        var order = await PlaceAsync(creator, fan, product.Id, 1);
        var placed = (await order.GetAsync())!;

        var partly = (await order.ApplyPaymentAsync(Payment(placed, 1_000_000)))!;
        var again = Payment(placed, 2_500_000);
        var paid = (await order.ApplyPaymentAsync(again))!;
        var replayed = (await order.ApplyPaymentAsync(again))!;

        Assert.Equal((OrderStatus.PendingPayment, 1_000_000L), (partly.Status, partly.PaidMicroAlgo));
        Assert.Equal((OrderStatus.Paid, 3_500_000L, 500_000L), (paid.Status, paid.PaidMicroAlgo, paid.RefundDueMicroAlgo));
        Assert.Equivalent(paid, replayed, strict: true);
        Assert.Equal(1, (await StockAsync(product.Id))!.Sold);
    }

    [Fact]
    public async Task An_unpaid_order_expires_by_its_reminder_and_gives_back_stock_and_token()
    {
        var (creator, fan) = (NewWallet(), NewWallet());
        var product = await ProductAsync(creator, stock: 3);
        var token = await ShawtyAsync(creator, fan);
        await Grains.GetGrain<ICreatorDiscounts>(creator).AddAsync(new NewDiscountRule(null, DiscountType.FixedAlgo, 100_000, 1, false, null), null);
        var order = await PlaceAsync(creator, fan, product.Id, 3, token);
        Assert.Equal(0, (await StockAsync(product.Id))!.Available);

        fixture.Time.Advance(TimeSpan.FromMinutes(1));
        var expired = await ClusterHosts.EventuallyAsync(order.GetAsync, o => o!.Status == OrderStatus.Expired, TimeSpan.FromSeconds(15), "the expiry");

        Assert.Equal(3, (await StockAsync(product.Id))!.Available);
        Assert.Equal(ShawtyStatus.Active, await TokenAsync(token));
        var late = (await order.ApplyPaymentAsync(Payment(expired!, expired!.TotalMicroAlgo)))!;
        Assert.Equal((OrderStatus.Expired, late.TotalMicroAlgo), (late.Status, late.RefundDueMicroAlgo));
        Assert.Equal(0, (await StockAsync(product.Id))!.Sold);
    }

    [Fact]
    public async Task A_cancelled_order_gives_back_stock_and_token_at_once_and_a_later_payment_is_owed_back()
    {
        var (creator, fan) = (NewWallet(), NewWallet());
        var product = await ProductAsync(creator, stock: 2);
        var token = await ShawtyAsync(creator, fan);
        await Grains.GetGrain<ICreatorDiscounts>(creator).AddAsync(new NewDiscountRule(null, DiscountType.FixedAlgo, 100_000, 1, false, null), null);
        var order = await PlaceAsync(creator, fan, product.Id, 2, token);
        Assert.Equal((0, ShawtyStatus.Locked), ((await StockAsync(product.Id))!.Available, await TokenAsync(token)));

        var cancelled = await order.CancelAsync(fan);
        var again = await order.CancelAsync(fan);

        // Released by the call itself, not by a reminder later: the business clock has not moved.
        Assert.Equal((OrderStatus.Cancelled, 0L), (cancelled.Status, cancelled.RefundDueMicroAlgo));
        Assert.Equivalent(cancelled, again, strict: true);
        Assert.Equal((2, 0), ((await StockAsync(product.Id))!.Available, (await StockAsync(product.Id))!.Reserved));
        Assert.Equal(ShawtyStatus.Active, await TokenAsync(token));

        var late = (await order.ApplyPaymentAsync(Payment(cancelled, cancelled.TotalMicroAlgo)))!;
        Assert.Equal((OrderStatus.Cancelled, cancelled.TotalMicroAlgo, cancelled.TotalMicroAlgo), (late.Status, late.PaidMicroAlgo, late.RefundDueMicroAlgo));
        Assert.Equal((0, 2), ((await StockAsync(product.Id))!.Sold, (await StockAsync(product.Id))!.Available));
    }

    [Fact]
    public async Task A_paid_order_cannot_be_cancelled_and_another_fan_cannot_cancel_an_order()
    {
        var (creator, fan) = (NewWallet(), NewWallet());
        var product = await ProductAsync(creator);
        var order = await PlaceAsync(creator, fan, product.Id, 1);
        var placed = (await order.GetAsync())!;

        var stranger = await Assert.ThrowsAsync<DomainException>(() => order.CancelAsync(NewWallet()));
        await order.ApplyPaymentAsync(Payment(placed, placed.TotalMicroAlgo));
        var paid = await Assert.ThrowsAsync<DomainException>(() => order.CancelAsync(fan));

        Assert.Equal(DomainErrorKind.NotFound, stranger.Kind);
        Assert.Equal((DomainErrorKind.Conflict, OrderErrors.OrderNotCancellable), (paid.Kind, paid.Code));
        Assert.Equal(OrderStatus.Paid, (await order.GetAsync())!.Status);
        Assert.Equal(1, (await StockAsync(product.Id))!.Sold);
    }

    [Fact]
    public async Task A_pending_order_keeps_an_expiry_reminder_and_paying_removes_it_after_the_reply()
    {
        var (creator, fan) = (NewWallet(), NewWallet());
        var product = await ProductAsync(creator);
        var order = await PlaceAsync(creator, fan, product.Id, 1);
        var placed = (await order.GetAsync())!;
        var reminders = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<IReminderTable>();
        var grainId = order.GetGrainId();
        Assert.NotNull(await reminders.ReadRow(grainId, "order"));

        var paid = (await order.ApplyPaymentAsync(Payment(placed, placed.TotalMicroAlgo)))!;

        Assert.Equal(OrderStatus.Paid, paid.Status);
        await ClusterHosts.EventuallyAsync(() => reminders.ReadRow(grainId, "order"), r => r is null, TimeSpan.FromSeconds(5), "the paid order's reminder to go");
    }

    [Fact]
    public async Task Placing_again_returns_the_order_and_another_cart_under_its_id_is_a_conflict()
    {
        var (creator, fan) = (NewWallet(), NewWallet());
        var product = await ProductAsync(creator);
        var id = await Grains.GetGrain<IFanOrders>(fan).OpenAsync("checkout-1");
        var order = Grains.GetGrain<IOrder>(id);
        var request = new PlaceOrder(creator, fan, [new CartLine(product.Id, 2)], []);

        var first = await order.PlaceAsync(request);
        var again = await order.PlaceAsync(request);
        var conflict = await Assert.ThrowsAsync<DomainException>(() => order.PlaceAsync(request with { Cart = [new CartLine(product.Id, 1)] }));

        Assert.Equivalent(first, again, strict: true);
        Assert.Equal(OrderErrors.OrderConflict, conflict.Code);
        Assert.Equal(id, await Grains.GetGrain<IFanOrders>(fan).OpenAsync("checkout-1"));
        Assert.Equal(2, (await StockAsync(product.Id))!.Reserved);
    }

    [Fact]
    public async Task Fifty_concurrent_orders_for_the_last_ten_items_place_exactly_ten()
    {
        var creator = NewWallet();
        var product = await ProductAsync(creator, stock: 10);

        var attempts = await Task.WhenAll(Enumerable.Range(0, 50).Select(async _ =>
        {
            try
            {
                await PlaceAsync(creator, NewWallet(), product.Id, 1);
                return "placed";
            }
            catch (DomainException e)
            {
                return e.Code;
            }
        }));

        Assert.Equal(10, attempts.Count(a => a == "placed"));
        Assert.All(attempts.Where(a => a != "placed"), code => Assert.Equal("insufficient_stock", code));
        Assert.Equal((10, 0), ((await StockAsync(product.Id))!.Reserved, (await StockAsync(product.Id))!.Available));
    }
}
