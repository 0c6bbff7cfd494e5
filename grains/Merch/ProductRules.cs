using FanForge.Grains.Algorand;
using FanForge.GrainInterfaces.Errors;
using FanForge.GrainInterfaces.Merch;

namespace FanForge.Grains.Merch;

/// <summary>A product's catalogue fields as stored. <see cref="Stock"/> counts every unit ever put on sale (null: unlimited).</summary>
[GenerateSerializer, Immutable, Alias("ff.ProductFields")]
public sealed record ProductFields(
    [property: Id(0)] string Slug,
    [property: Id(1)] string Name,
    [property: Id(2)] string? Description,
    [property: Id(3)] string? ImageIpfsHash,
    [property: Id(4)] long PriceMicroAlgo,
    [property: Id(5)] int? Stock,
    [property: Id(6)] bool Active,
    [property: Id(7)] int MaxPerOrder,
    [property: Id(8)] bool MembersOnly);

/// <summary>
/// Product field rules, pure: limits (the prototype's column sizes), price parsing from the API's ALGO decimals and
/// PATCH merging. Every refusal is a 400 <c>validation</c> naming the field.
/// </summary>
public static class ProductRules
{
    public const int SlugMinLength = 2;
    public const int SlugMaxLength = 100;
    public const int NameMaxLength = 200;
    public const int DescriptionMaxLength = 2000;
    public const int ImageHashMaxLength = 100;

    /// <summary>A sanity bound that keeps every sum of prices and quantities far inside a long.</summary>
    public const long MaxPriceMicroAlgo = 1_000_000 * 1_000_000L;

    public const int MaxStockQuantity = 1_000_000;
    public const int MaxMaxPerOrder = 1_000;

    /// <summary>
    /// The API's <c>price_algo</c> as integer micro-ALGO: required, above 0, at most 6 decimals (ALGO's precision: a
    /// finer price could not be paid exactly) and at most one million ALGO.
    /// </summary>
    public static long ParsePriceAlgo(decimal? priceAlgo)
    {
        if (priceAlgo is not { } algo)
        {
            throw Invalid("price_algo is required.");
        }

        if (algo <= 0)
        {
            throw Invalid("price_algo must be greater than 0.");
        }

        if (!MicroAlgo.IsWholeMicroAlgo(algo))
        {
            throw Invalid("price_algo has at most 6 decimals (1 micro-ALGO).");
        }

        // Compared in ALGO, before scaling, so an absurd price is a 400 rather than an overflow.
        return algo <= MicroAlgo.ToAlgo(MaxPriceMicroAlgo) ? MicroAlgo.FromAlgo(algo) : throw Invalid("price_algo must be at most 1000000 ALGO.");
    }

    public static ProductDraft Validate(ProductDraft draft)
    {
        Slug(draft.Slug);
        Name(draft.Name);
        Description(draft.Description);
        ImageHash(draft.ImageIpfsHash);
        Price(draft.PriceMicroAlgo);
        if (draft.StockQuantity is { } stock)
        {
            Stock(stock);
        }

        MaxPerOrder(draft.MaxPerOrder);
        return draft;
    }

    public static ProductPatch Validate(ProductPatch patch)
    {
        if (patch.Slug is { } slug)
        {
            Slug(slug);
        }

        if (patch.Name is { } name)
        {
            Name(name);
        }

        Description(patch.Description);
        ImageHash(patch.ImageIpfsHash);
        if (patch.PriceMicroAlgo is { } price)
        {
            Price(price);
        }

        if (patch.StockQuantity is { } stock)
        {
            Stock(stock);
        }

        if (patch.MaxPerOrder is { } max)
        {
            MaxPerOrder(max);
        }

        return patch;
    }

    /// <summary>The stored fields of a new product: its initial stock is all on sale.</summary>
    public static ProductFields Create(ProductDraft draft)
    {
        Validate(draft);
        return new ProductFields(draft.Slug, draft.Name, draft.Description, draft.ImageIpfsHash, draft.PriceMicroAlgo,
            draft.StockQuantity, draft.Active, draft.MaxPerOrder, draft.MembersOnly);
    }

    /// <summary>
    /// <paramref name="current"/> with the non-null fields of <paramref name="patch"/>. A new stock quantity is what is
    /// available from now on, so the stored stock adds what orders hold and have bought.
    /// </summary>
    public static ProductFields Merge(ProductFields current, ProductPatch patch, int reserved, int sold)
    {
        Validate(patch);
        return new ProductFields(
            patch.Slug ?? current.Slug,
            patch.Name ?? current.Name,
            patch.Description ?? current.Description,
            patch.ImageIpfsHash ?? current.ImageIpfsHash,
            patch.PriceMicroAlgo ?? current.PriceMicroAlgo,
            patch.StockQuantity is { } available ? StockRules.StockFor(available, reserved, sold) : current.Stock,
            patch.Active ?? current.Active,
            patch.MaxPerOrder ?? current.MaxPerOrder,
            patch.MembersOnly ?? current.MembersOnly);
    }

    private static void Slug(string? slug)
    {
        if (string.IsNullOrWhiteSpace(slug) || slug.Length is < SlugMinLength or > SlugMaxLength)
        {
            throw Invalid($"slug must be {SlugMinLength} to {SlugMaxLength} characters.");
        }
    }

    private static void Name(string? name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > NameMaxLength)
        {
            throw Invalid($"name must be 1 to {NameMaxLength} characters.");
        }
    }

    private static void Description(string? description)
    {
        if (description is { Length: > DescriptionMaxLength })
        {
            throw Invalid($"description must be at most {DescriptionMaxLength} characters.");
        }
    }

    private static void ImageHash(string? hash)
    {
        if (hash is { Length: > ImageHashMaxLength })
        {
            throw Invalid($"image_ipfs_hash must be at most {ImageHashMaxLength} characters.");
        }
    }

    private static void Price(long micro)
    {
        if (micro is <= 0 or > MaxPriceMicroAlgo)
        {
            throw Invalid("price_algo must be greater than 0 and at most 1000000 ALGO.");
        }
    }

    private static void Stock(int stock)
    {
        if (stock is < 0 or > MaxStockQuantity)
        {
            throw Invalid($"stock_quantity must be between 0 and {MaxStockQuantity}, or null for unlimited.");
        }
    }

    private static void MaxPerOrder(int max)
    {
        if (max is < 1 or > MaxMaxPerOrder)
        {
            throw Invalid($"max_per_order must be between 1 and {MaxMaxPerOrder}.");
        }
    }

    private static DomainException Invalid(string message) => DomainException.Invalid(ErrorCodes.Validation, message);
}
