namespace FanForge.GrainInterfaces.Merch;

/// <summary>
/// One merch product (key: product id, allocated from the <c>product</c> id sequence). Owns its stock: quantities are
/// reserved by orders, committed when paid and released when an order ends unpaid, so stock is never oversold.
/// </summary>
[Alias("ff.IProduct")]
public interface IProduct : IGrainWithIntegerKey
{
    /// <summary>The product, or null if it was never created.</summary>
    [Alias("Get")]
    Task<ProductView?> GetAsync();

    /// <summary>Holds <paramref name="quantity"/> for order <paramref name="orderId"/> (idempotent per order); 409 if not available.</summary>
    [Alias("Reserve")]
    Task ReserveAsync(long orderId, int quantity);

    /// <summary>The order was paid: its reservation becomes sold (idempotent).</summary>
    [Alias("Commit")]
    Task CommitAsync(long orderId);

    /// <summary>The order ended unpaid: its reservation returns to stock (idempotent; nothing reserved is fine).</summary>
    [Alias("Release")]
    Task ReleaseAsync(long orderId);
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
