namespace FanForge.GrainInterfaces.Merch;

/// <summary>
/// A creator's product catalogue (key: creator wallet): allocates product ids, keeps slugs unique per creator and
/// lists the products newest first. It holds ids, slugs and the two flags a listing filters on; the
/// <see cref="IProduct"/> grains own everything else.
/// </summary>
[Alias("ff.ICreatorCatalog")]
public interface ICreatorCatalog : IGrainWithStringKey
{
    /// <summary>
    /// Creates a product with a fresh id from the <c>product</c> sequence. 409 <c>duplicate_slug</c> if the creator
    /// has the slug. Idempotency key: <paramref name="idempotencyKey"/> (optional); a create retried with the same key
    /// returns the first product, whatever the draft.
    /// </summary>
    [Alias("Create")]
    Task<ProductView> CreateAsync(ProductDraft draft, string? idempotencyKey);

    /// <summary>
    /// Applies a partial update to one of the creator's products (404 if it is not one); 409 <c>duplicate_slug</c>
    /// if a new slug is taken. Idempotent: a patch holds values, not increments.
    /// </summary>
    [Alias("Update")]
    Task<ProductView> UpdateAsync(long productId, ProductPatch patch);

    /// <summary>Soft-deletes one of the creator's products (see <see cref="IProduct.DeactivateAsync"/>). Idempotent.</summary>
    [Alias("Delete")]
    Task<ProductView> DeleteAsync(long productId);

    /// <summary>A page of the products in <paramref name="listing"/>, newest first, with the listing's true total.</summary>
    [Alias("List"), Orleans.Concurrency.ReadOnly]
    Task<ProductPage> ListAsync(ProductListing listing, int limit, int offset);
}

/// <summary>Which of a creator's products a listing shows.</summary>
public enum ProductListing
{
    /// <summary>Every product, inactive ones included (the creator's own view).</summary>
    All = 0,

    /// <summary>Active products that are not members-only (the public store).</summary>
    Store = 1,

    /// <summary>Every active product, members-only ones included (for active Bauni members).</summary>
    Members = 2,
}

/// <summary>One page of a listing and the number of products in the whole listing.</summary>
[GenerateSerializer, Immutable, Alias("ff.ProductPage")]
public sealed record ProductPage(
    [property: Id(0)] IReadOnlyList<ProductView> Items,
    [property: Id(1)] int Total);
