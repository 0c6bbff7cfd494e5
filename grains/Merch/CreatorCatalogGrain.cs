using FanForge.GrainInterfaces.Errors;
using FanForge.GrainInterfaces.Merch;
using FanForge.GrainInterfaces.Sequences;

namespace FanForge.Grains.Merch;

/// <summary>One catalogue line: the id, the slug it reserves, and the two flags listings filter on.</summary>
[GenerateSerializer, Immutable, Alias("ff.CatalogEntry")]
public sealed record CatalogEntry(
    [property: Id(0)] long ProductId,
    [property: Id(1)] string Slug,
    [property: Id(2)] bool Active,
    [property: Id(3)] bool MembersOnly);

/// <summary>A create answered under a client idempotency key.</summary>
[GenerateSerializer, Immutable, Alias("ff.CatalogCreateKey")]
public sealed record CatalogCreateKey([property: Id(0)] string Key, [property: Id(1)] long ProductId);

[GenerateSerializer, Alias("ff.CreatorCatalogState")]
public sealed class CreatorCatalogState
{
    /// <summary>Oldest first (listings read it backwards), at most <see cref="CatalogRules.MaxProducts"/>.</summary>
    [Id(0)] public List<CatalogEntry> Entries { get; set; } = [];

    /// <summary>Latest idempotency keys, oldest first, at most <see cref="CatalogRules.IdempotencyWindow"/>.</summary>
    [Id(1)] public List<CatalogCreateKey> RecentKeys { get; set; } = [];
}

/// <summary>Catalogue rules, pure: which entries a listing shows and the paging bounds.</summary>
public static class CatalogRules
{
    public const int MaxProducts = 10_000;
    public const int IdempotencyWindow = 256;

    public static bool Shows(ProductListing listing, CatalogEntry entry) => listing switch
    {
        ProductListing.All => true,
        ProductListing.Store => entry.Active && !entry.MembersOnly,
        ProductListing.Members => entry.Active,
        _ => false,
    };

    /// <summary>The listing's entries newest first, the requested page of them and the listing's true total.</summary>
    public static (IReadOnlyList<CatalogEntry> Page, int Total) Page(IReadOnlyList<CatalogEntry> entries, ProductListing listing, int limit, int offset)
    {
        var shown = entries.Where(e => Shows(listing, e)).Reverse().ToList();
        return (shown.Skip(offset).Take(limit).ToList(), shown.Count);
    }
}

/// <summary>
/// Key: creator wallet. Serialises the creator's catalogue writes, so a slug is checked and reserved in one turn. A
/// product is created before its entry is written: a failure in between leaves an unlisted product under an unused
/// id (a gap, never a duplicate or a dangling entry), and the client's retry creates it afresh.
/// </summary>
[GrainType("ff.creator-catalog")]
public sealed class CreatorCatalogGrain(
    [PersistentState("creator-catalog", StorageNames.Default)] IPersistentState<CreatorCatalogState> state) : Grain, ICreatorCatalog
{
    private string Creator => this.GetPrimaryKeyString();

    private IProduct Product(long id) => GrainFactory.GetGrain<IProduct>(id);

    public async Task<ProductView> CreateAsync(ProductDraft draft, string? idempotencyKey)
    {
        if (idempotencyKey is not null && state.State.RecentKeys.Find(k => k.Key == idempotencyKey) is { } seen)
        {
            return (await Product(seen.ProductId).GetAsync())!;
        }

        ProductRules.Validate(draft);
        RequireFreeSlug(draft.Slug, exceptProductId: null);
        if (state.State.Entries.Count >= CatalogRules.MaxProducts)
        {
            throw DomainException.Conflict(ProductErrors.CatalogFull, $"A creator can list at most {CatalogRules.MaxProducts} products.");
        }

        var id = (await GrainFactory.GetGrain<IIdSequence>("product").ReserveAsync(1)).First;
        var product = await Product(id).CreateAsync(Creator, draft);
        await WriteAsync(() =>
        {
            state.State.Entries.Add(Entry(product));
            if (idempotencyKey is not null)
            {
                state.State.RecentKeys.AddKeepingLatest(new CatalogCreateKey(idempotencyKey, id), CatalogRules.IdempotencyWindow);
            }
        });
        return product;
    }

    public async Task<ProductView> UpdateAsync(long productId, ProductPatch patch)
    {
        var index = IndexOf(productId);
        ProductRules.Validate(patch);
        if (patch.Slug is { } slug)
        {
            RequireFreeSlug(slug, exceptProductId: productId);
        }

        return await RecordAsync(index, await Product(productId).UpdateAsync(Creator, patch));
    }

    public async Task<ProductView> DeleteAsync(long productId) =>
        await RecordAsync(IndexOf(productId), await Product(productId).DeactivateAsync(Creator));

    public async Task<ProductPage> ListAsync(ProductListing listing, int limit, int offset)
    {
        // The page is cut from the entries as they are now, before any await, so a write in another turn never tears it.
        var (page, total) = CatalogRules.Page(state.State.Entries, listing, limit, offset);
        var views = await Task.WhenAll(page.Select(e => Product(e.ProductId).GetAsync()));
        return new ProductPage([.. views.OfType<ProductView>()], total);
    }

    /// <summary>The entry follows the product after each write; a retry of the same request repairs a failure between the two.</summary>
    private async Task<ProductView> RecordAsync(int index, ProductView product)
    {
        var entry = Entry(product);
        if (state.State.Entries[index] != entry)
        {
            await WriteAsync(() => state.State.Entries[index] = entry);
        }

        return product;
    }

    private int IndexOf(long productId)
    {
        var index = state.State.Entries.FindIndex(e => e.ProductId == productId);
        return index >= 0 ? index : throw DomainException.NotFound("Product", productId.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private void RequireFreeSlug(string slug, long? exceptProductId)
    {
        if (state.State.Entries.Exists(e => e.Slug == slug && e.ProductId != exceptProductId))
        {
            throw DomainException.Conflict(ProductErrors.DuplicateSlug, $"A product with slug '{slug}' already exists for this creator", new { slug });
        }
    }

    private static CatalogEntry Entry(ProductView product) => new(product.Id, product.Slug, product.Active, product.MembersOnly);

    private async Task WriteAsync(Action change)
    {
        change();
        await state.WriteStateAsync();
    }
}
