using System.Text.Json.Serialization;
using FanForge.Api.Audit;
using FanForge.Api.Auth;
using FanForge.Api.Memberships;
using FanForge.Api.Responses;
using FanForge.Grains.Algorand;
using FanForge.GrainInterfaces.Audit;
using FanForge.Grains.Merch;
using FanForge.GrainInterfaces.Errors;
using FanForge.GrainInterfaces.Merch;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FanForge.Api.Merch;

/// <summary>
/// Products (<c>/creator/{wallet}/products</c>) and the store catalogue (<c>/creator/{wallet}/store</c> and its
/// <c>/members-only</c> view) in the prototype's snake_case fields plus <c>max_per_order</c> and <c>members_only</c>,
/// in the <c>{success,data,meta}</c> envelope with <c>data</c> an array for every list. Ids are integers from the
/// <c>product</c> sequence; a duplicate slug is a 409 (the prototype gave 500).
/// </summary>
internal static class ProductsApi
{
    private const int MaxLimit = 200;
    private const int MaxOffset = 10_000;

    public static RouteGroupBuilder MapProducts(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/creator/{wallet}").WithTags("Merch");

        group.MapPost("/products", CreateAsync)
            .RequireAuthorization(Policies.Creator)
            .Audited(AuditKinds.ProductCreated)
            .WithSummary("Add a product (price_algo up to 6 decimals); a retry with the same X-Idempotency-Key returns the first product");
        group.MapGet("/products", ListAsync)
            .RequireAuthorization(Policies.Creator)
            .WithSummary("The creator's products, inactive ones included, newest first (limit 1..200, offset 0..10000)");
        group.MapPatch("/products/{productId:long}", UpdateAsync)
            .RequireAuthorization(Policies.Creator)
            .Audited(AuditKinds.ProductUpdated)
            .WithSummary("Change some fields of a product (null or absent = unchanged)");
        group.MapDelete("/products/{productId:long}", DeleteAsync)
            .RequireAuthorization(Policies.Creator)
            .Audited(AuditKinds.ProductDeleted)
            .WithSummary("Soft-delete a product (active=false); refused while pending orders hold stock");
        group.MapGet("/store", GetStoreAsync)
            .AllowAnonymous()
            .WithSummary("The public store: active products that are not members-only, newest first (limit 1..200, offset 0..10000)");
        group.MapGet("/store/members-only", GetMembersStoreAsync)
            .RequireAuthorization(Policies.Authenticated)
            .WithSummary("Every active product, members-only ones included, for a fan (fanWallet = the token's wallet) with an active Bauni membership");

        return group;
    }


    private static ICreatorCatalog Catalog(IGrainFactory grains, string wallet) => grains.GetGrain<ICreatorCatalog>(RequestValues.Wallet(wallet));


    private static async Task<Ok<Envelope<ProductRow, NoMeta>>> CreateAsync(
        string wallet, ProductRequest request, [FromHeader(Name = RequestValues.IdempotencyHeader)] string? idempotencyKey,
        HttpContext context, IGrainFactory grains, AuditRecorder audit)
    {
        var catalog = Catalog(grains, wallet);
        var draft = new ProductDraft(
            request.Slug!, request.Name!, request.Description, request.ImageIpfsHash, ProductRules.ParsePriceAlgo(request.PriceAlgo), request.StockQuantity,
            request.Active ?? true, request.MaxPerOrder ?? MerchLimits.DefaultMaxPerOrder, request.MembersOnly ?? false);
        var product = await catalog.CreateAsync(ProductRules.Validate(draft), RequestValues.IdempotencyKey(idempotencyKey));
        // Keyed by the product's first version: a retry under the same key returns this product, however changed since.
        await audit.RecordAsync(context, ProductAudit(AuditKinds.ProductCreated, product, product.CreatedAt, null));
        return TypedResults.Ok(Envelope.Of(ProductRow.From(product), new NoMeta()));
    }

    private static async Task<Ok<Envelope<IReadOnlyList<ProductRow>, PageMeta>>> ListAsync(string wallet, int? limit, int? offset, IGrainFactory grains)
    {
        var (take, skip) = RequestValues.Page(limit, offset, MaxLimit, MaxLimit, MaxOffset);
        return await PageAsync(Catalog(grains, wallet), ProductListing.All, take, skip);
    }

    private static async Task<Ok<Envelope<ProductRow, NoMeta>>> UpdateAsync(
        string wallet, long productId, ProductRequest request, HttpContext context, IGrainFactory grains, AuditRecorder audit)
    {
        var catalog = Catalog(grains, wallet);
        var before = await grains.GetGrain<IProduct>(productId).GetAsync();
        var patch = new ProductPatch(
            request.Slug, request.Name, request.Description, request.ImageIpfsHash,
            request.PriceAlgo is null ? null : ProductRules.ParsePriceAlgo(request.PriceAlgo), request.StockQuantity,
            request.Active, request.MaxPerOrder, request.MembersOnly);
        var product = await catalog.UpdateAsync(productId, ProductRules.Validate(patch));
        await audit.RecordAsync(context, ProductAudit(AuditKinds.ProductUpdated, product, product.UpdatedAt, before));
        return TypedResults.Ok(Envelope.Of(ProductRow.From(product), new NoMeta()));
    }

    private static async Task<Ok<Envelope<DeletedProduct, NoMeta>>> DeleteAsync(
        string wallet, long productId, HttpContext context, IGrainFactory grains, AuditRecorder audit)
    {
        var before = await grains.GetGrain<IProduct>(productId).GetAsync();
        var product = await Catalog(grains, wallet).DeleteAsync(productId);
        await audit.RecordAsync(context, ProductAudit(AuditKinds.ProductDeleted, product, product.UpdatedAt, before));
        return TypedResults.Ok(Envelope.Of(
            new DeletedProduct(product.Id, product.Slug, product.Active, $"Product '{product.Slug}' soft-deleted (active=False)"), new NoMeta()));
    }

    /// <summary>
    /// A product's change, keyed by the version it produced (its <c>updated_at</c>). A request that changed nothing
    /// names the version already there: recorded, it adds nothing; not recorded (the first attempt's recording failed),
    /// it is recorded now, with the fields as they are, since what they were is no longer known.
    /// </summary>
    private static AuditChange ProductAudit(string kind, ProductView product, DateTimeOffset version, ProductView? before) => new(
        kind, $"product:{product.Id}@{version.UtcTicks}", $"product:{product.Id}", product.CreatorWallet,
        AuditChanges.Diff(before is not null && before.UpdatedAt != product.UpdatedAt ? AuditedProduct.Of(before) : null, AuditedProduct.Of(product)));

    private static async Task<Ok<Envelope<IReadOnlyList<ProductRow>, PageMeta>>> GetStoreAsync(string wallet, int? limit, int? offset, IGrainFactory grains)
    {
        var (take, skip) = RequestValues.Page(limit, offset, 50, MaxLimit, MaxOffset);
        return await PageAsync(Catalog(grains, wallet), ProductListing.Store, take, skip);
    }

    // Input first (400), then the caller (403), then the membership (403 membership_required), as the prototype orders them.
    private static async Task<Ok<Envelope<IReadOnlyList<ProductRow>, PageMeta>>> GetMembersStoreAsync(
        string wallet, string? fanWallet, int? limit, int? offset, HttpContext context, IGrainFactory grains)
    {
        var creator = RequestValues.Wallet(wallet);
        if (string.IsNullOrEmpty(fanWallet))
        {
            throw DomainException.Invalid(ErrorCodes.Validation, "fanWallet is required.");
        }

        var fan = RequestValues.Wallet(fanWallet);
        var (take, skip) = RequestValues.Page(limit, offset, MaxLimit, MaxLimit, MaxOffset);
        context.User.RequireCallerWallet(fan, "fanWallet");

        await MembershipGate.RequireActiveAsync(grains, fan, creator);
        return await PageAsync(grains.GetGrain<ICreatorCatalog>(creator), ProductListing.Members, take, skip);
    }

    private static async Task<Ok<Envelope<IReadOnlyList<ProductRow>, PageMeta>>> PageAsync(ICreatorCatalog catalog, ProductListing listing, int limit, int offset)
    {
        var page = await catalog.ListAsync(listing, limit, offset);
        IReadOnlyList<ProductRow> rows = [.. page.Items.Select(ProductRow.From)];
        return TypedResults.Ok(Envelope.Of(rows, new PageMeta(limit, offset, offset, page.Total, offset + rows.Count < page.Total)));
    }
}

/// <summary>
/// The prototype's body (snake_case, no aliases) plus <c>max_per_order</c> and <c>members_only</c>; for a PATCH every field
/// is optional and null or absent leaves it unchanged.
/// </summary>
internal sealed record ProductRequest(
    [property: JsonPropertyName("slug")] string? Slug,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("image_ipfs_hash")] string? ImageIpfsHash,
    [property: JsonPropertyName("price_algo")] decimal? PriceAlgo,
    [property: JsonPropertyName("stock_quantity")] int? StockQuantity,
    [property: JsonPropertyName("active")] bool? Active,
    [property: JsonPropertyName("max_per_order")] int? MaxPerOrder,
    [property: JsonPropertyName("members_only")] bool? MembersOnly);

/// <summary>
/// A product: the prototype's fields plus <c>members_only</c>, the creator and timestamps. <c>stock_quantity</c> is what
/// can still be bought now (null: unlimited), which is also what a PATCH of it sets.
/// </summary>
internal sealed record ProductRow(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("slug")] string Slug,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("image_ipfs_hash")] string? ImageIpfsHash,
    [property: JsonPropertyName("price_algo")] decimal PriceAlgo,
    [property: JsonPropertyName("stock_quantity")] int? StockQuantity,
    [property: JsonPropertyName("active")] bool Active,
    [property: JsonPropertyName("max_per_order")] int MaxPerOrder,
    [property: JsonPropertyName("members_only")] bool MembersOnly,
    [property: JsonPropertyName("creator_wallet")] string CreatorWallet,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("updated_at")] DateTimeOffset UpdatedAt)
{
    public static ProductRow From(ProductView p) => new(
        p.Id, p.Slug, p.Name, p.Description, p.ImageIpfsHash, MicroAlgo.ToAlgo(p.PriceMicroAlgo), p.StockAvailable, p.Active, p.MaxPerOrder,
        p.MembersOnly, p.CreatorWallet, p.CreatedAt, p.UpdatedAt);
}

internal sealed record DeletedProduct(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("slug")] string Slug,
    [property: JsonPropertyName("active")] bool Active,
    [property: JsonPropertyName("message")] string Message);

/// <summary>The prototype's <c>paginated_response</c> meta; <c>total</c> is the listing's true total.</summary>
internal sealed record PageMeta(int Limit, int Offset, int Skip, int Total, bool HasMore);

/// <summary>An empty <c>meta</c> for single-object answers.</summary>
internal sealed record NoMeta;

/// <summary>The creator's own fields of a product, as an audit entry compares them (stock as set, in units still for sale).</summary>
internal sealed record AuditedProduct(
    [property: JsonPropertyName("slug")] string Slug,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("image_ipfs_hash")] string? ImageIpfsHash,
    [property: JsonPropertyName("price_micro")] long PriceMicro,
    [property: JsonPropertyName("stock_quantity")] int? StockQuantity,
    [property: JsonPropertyName("active")] bool Active,
    [property: JsonPropertyName("max_per_order")] int MaxPerOrder,
    [property: JsonPropertyName("members_only")] bool MembersOnly)
{
    public static AuditedProduct Of(ProductView p) =>
        new(p.Slug, p.Name, p.Description, p.ImageIpfsHash, p.PriceMicroAlgo, p.StockAvailable, p.Active, p.MaxPerOrder, p.MembersOnly);
}
