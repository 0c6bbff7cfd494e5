using FanForge.GrainInterfaces.Errors;
using FanForge.GrainInterfaces.Merch;

namespace FanForge.Grains.Merch;

/// <summary>An order's quantity held while it awaits payment.</summary>
[GenerateSerializer, Immutable, Alias("ff.OpenReservation")]
public sealed record OpenReservation([property: Id(0)] long OrderId, [property: Id(1)] int Quantity);

/// <summary>How an order's reservation ended, remembered so a repeated call answers the same.</summary>
[GenerateSerializer, Immutable, Alias("ff.SettledReservation")]
public sealed record SettledReservation(
    [property: Id(0)] long OrderId,
    [property: Id(1)] int Quantity,
    [property: Id(2)] ReservationStatus Status);

/// <summary>A product's stock book: units sold, reservations open, and the latest settled ones.</summary>
[GenerateSerializer, Alias("ff.StockLedger")]
public sealed class StockLedger
{
    [Id(0)] public int Sold { get; set; }

    /// <summary>One per order awaiting payment; bounded by the orders pending at once.</summary>
    [Id(1)] public List<OpenReservation> Open { get; set; } = [];

    /// <summary>Settled reservations, oldest first, at most <see cref="StockRules.SettledWindow"/>.</summary>
    [Id(2)] public List<SettledReservation> Settled { get; set; } = [];

    public int Reserved => Open.Sum(r => r.Quantity);
}

/// <summary>
/// Stock arithmetic and reservation rules, pure apart from the ledger they are given: available = stock − reserved −
/// sold, never below zero, and every reservation call is idempotent per order id. Each rule returns the reservation
/// as it now stands and whether the ledger changed (only then is it written).
/// </summary>
public static class StockRules
{
    /// <summary>
    /// Settled order ids remembered per product. The order grain only reserves while pending, so this window guards
    /// against stale retries, not against a confused caller: an id older than the window would be treated as new.
    /// </summary>
    public const int SettledWindow = 1024;

    public static int? Available(int? stock, int reserved, int sold) => stock is { } s ? Math.Max(0, s - reserved - sold) : null;

    /// <summary>The stock that leaves exactly <paramref name="available"/> units on sale next to what is held and sold.</summary>
    public static int? StockFor(int? available, int reserved, int sold) => available is { } a ? a + reserved + sold : null;

    public static (StockReservation Reservation, bool Changed) Reserve(long productId, ProductFields product, StockLedger ledger, long orderId, int quantity)
    {
        if (ledger.Open.Find(r => r.OrderId == orderId) is { } open)
        {
            return open.Quantity == quantity
                ? (View(productId, product, ledger, orderId, open.Quantity, ReservationStatus.Reserved), false)
                : throw DomainException.Conflict(ProductErrors.ReservationConflict,
                    $"Order {orderId} already reserved {open.Quantity} of {product.Slug}, not {quantity}", new { order_id = orderId, product_id = productId });
        }

        if (ledger.Settled.FindLast(r => r.OrderId == orderId) is { } settled)
        {
            return (View(productId, product, ledger, orderId, settled.Quantity, settled.Status), false);
        }

        if (quantity < 1 || quantity > product.MaxPerOrder)
        {
            throw DomainException.Invalid(ProductErrors.InvalidQuantity, $"Max {product.MaxPerOrder} per order for {product.Slug}",
                new { product_id = productId, quantity, max_per_order = product.MaxPerOrder });
        }

        if (!product.Active)
        {
            throw DomainException.Conflict(ProductErrors.ProductUnavailable, $"Product {productId} not available", new { product_id = productId });
        }

        var available = Available(product.Stock, ledger.Reserved, ledger.Sold);
        if (available < quantity)
        {
            throw DomainException.Conflict(ProductErrors.InsufficientStock, $"Insufficient stock for {product.Slug}",
                new { product_id = productId, requested = quantity, available });
        }

        ledger.Open.Add(new OpenReservation(orderId, quantity));
        return (View(productId, product, ledger, orderId, quantity, ReservationStatus.Reserved), true);
    }

    public static (StockReservation Reservation, bool Changed) Commit(long productId, ProductFields product, StockLedger ledger, long orderId)
    {
        if (ledger.Open.Find(r => r.OrderId == orderId) is { } open)
        {
            ledger.Open.Remove(open);
            ledger.Sold += open.Quantity;
            Settle(ledger, new SettledReservation(orderId, open.Quantity, ReservationStatus.Committed));
            return (View(productId, product, ledger, orderId, open.Quantity, ReservationStatus.Committed), true);
        }

        return ledger.Settled.FindLast(r => r.OrderId == orderId) switch
        {
            { Status: ReservationStatus.Committed } committed => (View(productId, product, ledger, orderId, committed.Quantity, committed.Status), false),
            { } => throw DomainException.Conflict(ProductErrors.ReservationReleased,
                $"Order {orderId}'s reservation of {product.Slug} was released before payment", new { order_id = orderId, product_id = productId }),
            null => throw new DomainException(DomainErrorKind.NotFound, ProductErrors.ReservationNotFound,
                $"Order {orderId} holds no reservation of {product.Slug}", new { order_id = orderId, product_id = productId }),
        };
    }

    public static (StockReservation Reservation, bool Changed) Release(long productId, ProductFields product, StockLedger ledger, long orderId)
    {
        if (ledger.Open.Find(r => r.OrderId == orderId) is { } open)
        {
            ledger.Open.Remove(open);
            Settle(ledger, new SettledReservation(orderId, open.Quantity, ReservationStatus.Released));
            return (View(productId, product, ledger, orderId, open.Quantity, ReservationStatus.Released), true);
        }

        switch (ledger.Settled.FindLast(r => r.OrderId == orderId))
        {
            case { Status: ReservationStatus.Released } released:
                return (View(productId, product, ledger, orderId, released.Quantity, released.Status), false);
            case { }:
                throw DomainException.Conflict(ProductErrors.ReservationCommitted,
                    $"Order {orderId} already paid for {product.Slug}", new { order_id = orderId, product_id = productId });
            default:
                // An order that never got here (its reserve failed or never arrived) is released all the same, so a
                // reserve of it arriving late is answered "released" instead of holding stock for a dead order.
                Settle(ledger, new SettledReservation(orderId, 0, ReservationStatus.Released));
                return (View(productId, product, ledger, orderId, 0, ReservationStatus.Released), true);
        }
    }

    private static void Settle(StockLedger ledger, SettledReservation settled)
    {
        ledger.Settled.AddKeepingLatest(settled, SettledWindow);
    }

    private static StockReservation View(long productId, ProductFields product, StockLedger ledger, long orderId, int quantity, ReservationStatus status) =>
        new(productId, orderId, quantity, status, Available(product.Stock, ledger.Reserved, ledger.Sold));
}
