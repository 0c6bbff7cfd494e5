namespace FanForge.GrainInterfaces.Merch;

/// <summary>A new product's fields. Price in integer micro-ALGO; a null stock means unlimited.</summary>
[GenerateSerializer, Immutable, Alias("ff.ProductDraft")]
public sealed record ProductDraft(
    [property: Id(0)] string Slug,
    [property: Id(1)] string Name,
    [property: Id(2)] string? Description,
    [property: Id(3)] string? ImageIpfsHash,
    [property: Id(4)] long PriceMicroAlgo,
    [property: Id(5)] int? StockQuantity,
    [property: Id(6)] bool Active = true,
    [property: Id(7)] int MaxPerOrder = MerchLimits.DefaultMaxPerOrder,
    [property: Id(8)] bool MembersOnly = false);

/// <summary>
/// A partial update: every null field stays as it is (so a field cannot be cleared, as in the prototype).
/// <see cref="StockQuantity"/> sets the quantity available from now on, on top of what orders hold and have bought.
/// </summary>
[GenerateSerializer, Immutable, Alias("ff.ProductPatch")]
public sealed record ProductPatch(
    [property: Id(0)] string? Slug = null,
    [property: Id(1)] string? Name = null,
    [property: Id(2)] string? Description = null,
    [property: Id(3)] string? ImageIpfsHash = null,
    [property: Id(4)] long? PriceMicroAlgo = null,
    [property: Id(5)] int? StockQuantity = null,
    [property: Id(6)] bool? Active = null,
    [property: Id(7)] int? MaxPerOrder = null,
    [property: Id(8)] bool? MembersOnly = null);

/// <summary>Where one order's reservation of a product stands.</summary>
public enum ReservationStatus
{
    /// <summary>Held for the order while it awaits payment.</summary>
    Reserved = 0,

    /// <summary>The order paid: the quantity is sold.</summary>
    Committed = 1,

    /// <summary>The order ended unpaid: the quantity went back on sale (0 when the order never reserved here).</summary>
    Released = 2,
}

/// <summary>One order's reservation of one product, and the product's available stock after it (null: unlimited).</summary>
[GenerateSerializer, Immutable, Alias("ff.StockReservation")]
public sealed record StockReservation(
    [property: Id(0)] long ProductId,
    [property: Id(1)] long OrderId,
    [property: Id(2)] int Quantity,
    [property: Id(3)] ReservationStatus Status,
    [property: Id(4)] int? StockAvailable);

/// <summary>
/// A product's stock counters: <see cref="Stock"/> is every unit ever put on sale (null: unlimited), so available =
/// stock − reserved − sold.
/// </summary>
[GenerateSerializer, Immutable, Alias("ff.ProductStock")]
public sealed record ProductStock(
    [property: Id(0)] int? Stock,
    [property: Id(1)] int Reserved,
    [property: Id(2)] int Sold,
    [property: Id(3)] int? Available,
    [property: Id(4)] int OpenReservations);

/// <summary>Error codes of products and catalogues (status in brackets).</summary>
public static class ProductErrors
{
    /// <summary>Another product of this creator has the slug (409).</summary>
    public const string DuplicateSlug = "duplicate_slug";

    /// <summary>Fewer units are available than requested (409).</summary>
    public const string InsufficientStock = "insufficient_stock";

    /// <summary>The product is inactive (soft-deleted or paused) and cannot be reserved (409).</summary>
    public const string ProductUnavailable = "product_unavailable";

    /// <summary>A delete while orders hold reservations of the product (409).</summary>
    public const string PendingOrders = "pending_orders";

    /// <summary>A quantity below 1 or above the product's max per order (400).</summary>
    public const string InvalidQuantity = "invalid_quantity";

    /// <summary>The same order reserved the product before with another quantity (409).</summary>
    public const string ReservationConflict = "reservation_conflict";

    /// <summary>The order holds no reservation of the product (404).</summary>
    public const string ReservationNotFound = "reservation_not_found";

    /// <summary>The order's reservation was released (expired or cancelled) before this commit (409).</summary>
    public const string ReservationReleased = "reservation_released";

    /// <summary>The order's reservation was committed (paid) before this release (409).</summary>
    public const string ReservationCommitted = "reservation_committed";

    /// <summary>The creator's catalogue holds the most products it may (409).</summary>
    public const string CatalogFull = "catalog_full";
}

/// <summary>Error codes of orders (status in brackets), shared by the order grain and the routes that pay for orders.</summary>
public static class OrderErrors
{
    /// <summary>The order changed in a way that contradicts the request, e.g. it can no longer hold stock (409).</summary>
    public const string OrderConflict = "order_conflict";

    /// <summary>The order is not pending payment, or has nothing left to pay (409).</summary>
    public const string OrderNotPayable = "order_not_payable";

    /// <summary>The order is paid, expired or refunded, so it can no longer be cancelled (409).</summary>
    public const string OrderNotCancellable = "order_not_cancellable";
}
