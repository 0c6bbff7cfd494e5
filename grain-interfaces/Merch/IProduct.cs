namespace FanForge.GrainInterfaces.Merch;

/// <summary>
/// One merch product (key: product id, allocated from the <c>product</c> id sequence). Owns its stock: quantities are
/// reserved by orders, committed when paid and released when an order ends unpaid, so stock is never oversold.
/// Catalogue writes (create, update, delete) come through the creator's <see cref="ICreatorCatalog"/>, which owns
/// the id and the slug; stock writes come from orders and are idempotent per order id.
/// </summary>
[Alias("ff.IProduct")]
public interface IProduct : IGrainWithIntegerKey
{
    /// <summary>The product, or null if it was never created.</summary>
    [Alias("Get")]
    Task<ProductView?> GetAsync();

    /// <summary>
    /// Creates the product for <paramref name="creatorWallet"/>. Called only by that creator's catalogue, which
    /// allocated this id. Idempotent: a product that exists is returned as it is (the first draft wins).
    /// </summary>
    [Alias("Create")]
    Task<ProductView> CreateAsync(string creatorWallet, ProductDraft draft);

    /// <summary>
    /// Applies <paramref name="patch"/> (null fields unchanged). 404 unless the product exists and belongs to
    /// <paramref name="creatorWallet"/>. Idempotent: a patch holds values, not increments.
    /// </summary>
    [Alias("Update")]
    Task<ProductView> UpdateAsync(string creatorWallet, ProductPatch patch);

    /// <summary>
    /// Soft delete (active=false). 404 as for <see cref="UpdateAsync"/>; 409 <c>pending_orders</c> while orders hold
    /// reservations. Idempotent: deleting an inactive product returns it unchanged.
    /// </summary>
    [Alias("Deactivate")]
    Task<ProductView> DeactivateAsync(string creatorWallet);

    /// <summary>
    /// Reserves <paramref name="quantity"/> for order <paramref name="orderId"/>. Idempotency key: the order id; a
    /// repeat returns the order's reservation as it is now (also once committed or released) and a repeat with another
    /// quantity is a 409 <c>reservation_conflict</c>. Refuses: 404 unknown product, 400 <c>invalid_quantity</c>
    /// (below 1 or above the product's max per order), 409 <c>product_unavailable</c> (inactive),
    /// 409 <c>insufficient_stock</c> (available &lt; quantity).
    /// </summary>
    [Alias("Reserve")]
    Task<StockReservation> ReserveAsync(long orderId, int quantity);

    /// <summary>
    /// The order is paid: its reserved quantity becomes sold. Idempotency key: the order id (a repeat returns the
    /// committed reservation). 404 <c>reservation_not_found</c> if the order never reserved here; 409
    /// <c>reservation_released</c> if it was released first.
    /// </summary>
    [Alias("Commit")]
    Task<StockReservation> CommitAsync(long orderId);

    /// <summary>
    /// The order expired or was cancelled: its reserved quantity is available again. Idempotency key: the order id (a
    /// repeat returns the released reservation). Releasing an order that never reserved here records that, so a late
    /// reserve of it is refused; 409 <c>reservation_committed</c> if the order was already paid.
    /// </summary>
    [Alias("Release")]
    Task<StockReservation> ReleaseAsync(long orderId);

    /// <summary>The stock counters behind <see cref="ProductView.StockAvailable"/>, or null if never created.</summary>
    [Alias("GetStock")]
    Task<ProductStock?> GetStockAsync();
}

/// <summary>Stock status values and limits shared by products, quotes and orders.</summary>
public static class MerchLimits
{
    /// <summary>The prototype's default per-order cap.</summary>
    public const int DefaultMaxPerOrder = 5;
}

/// <summary>A product as the store shows it. Prices are integer micro-ALGO; a null stock means unlimited.</summary>
[GenerateSerializer, Immutable, Alias("ff.ProductView")]
public sealed record ProductView(
    [property: Id(0)] long Id,
    [property: Id(1)] string CreatorWallet,
    [property: Id(2)] string Slug,
    [property: Id(3)] string Name,
    [property: Id(4)] string? Description,
    [property: Id(5)] string? ImageIpfsHash,
    [property: Id(6)] long PriceMicroAlgo,
    [property: Id(7)] int? StockAvailable,
    [property: Id(8)] bool Active,
    [property: Id(9)] int MaxPerOrder,
    [property: Id(10)] bool MembersOnly,
    [property: Id(11)] DateTimeOffset CreatedAt,
    [property: Id(12)] DateTimeOffset UpdatedAt);
