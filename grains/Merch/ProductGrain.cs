using FanForge.GrainInterfaces.Errors;
using FanForge.GrainInterfaces.Merch;

namespace FanForge.Grains.Merch;

[GenerateSerializer, Alias("ff.ProductState")]
public sealed class ProductState
{
    [Id(0)] public string? CreatorWallet { get; set; }

    /// <summary>Null until created.</summary>
    [Id(1)] public ProductFields? Fields { get; set; }

    [Id(2)] public StockLedger Stock { get; set; } = new();
    [Id(3)] public DateTimeOffset CreatedAt { get; set; }
    [Id(4)] public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// Key: product id. Catalogue fields plus the stock book under <see cref="StockRules"/>. Not reentrant: reservations
/// are checked and written one at a time, which is what makes overselling impossible.
/// </summary>
[GrainType("ff.product")]
public sealed class ProductGrain(
    [PersistentState("product", StorageNames.Default)] IPersistentState<ProductState> state,
    TimeProvider time) : Grain, IProduct
{
    private long Id => this.GetPrimaryKeyLong();

    public Task<ProductView?> GetAsync() => Task.FromResult(View());

    public Task<ProductStock?> GetStockAsync()
    {
        if (state.State.Fields is not { } fields)
        {
            return Task.FromResult<ProductStock?>(null);
        }

        var ledger = state.State.Stock;
        return Task.FromResult<ProductStock?>(new ProductStock(
            fields.Stock, ledger.Reserved, ledger.Sold, StockRules.Available(fields.Stock, ledger.Reserved, ledger.Sold), ledger.Open.Count));
    }

    public async Task<ProductView> CreateAsync(string creatorWallet, ProductDraft draft)
    {
        if (state.State.Fields is null)
        {
            var fields = ProductRules.Create(draft);
            var now = time.GetUtcNow();
            await WriteAsync(() =>
            {
                state.State.CreatorWallet = creatorWallet;
                state.State.Fields = fields;
                state.State.CreatedAt = now;
                state.State.UpdatedAt = now;
            });
        }

        return View()!;
    }

    public async Task<ProductView> UpdateAsync(string creatorWallet, ProductPatch patch)
    {
        var current = Owned(creatorWallet);
        var ledger = state.State.Stock;
        var merged = ProductRules.Merge(current, patch, ledger.Reserved, ledger.Sold);
        if (merged != current)
        {
            var now = time.GetUtcNow();
            await WriteAsync(() =>
            {
                state.State.Fields = merged;
                state.State.UpdatedAt = now;
            });
        }

        return View()!;
    }

    public async Task<ProductView> DeactivateAsync(string creatorWallet)
    {
        var current = Owned(creatorWallet);
        if (current.Active)
        {
            var pending = state.State.Stock.Open.Count;
            if (pending > 0)
            {
                throw DomainException.Conflict(ProductErrors.PendingOrders, $"Cannot delete product {current.Slug}: {pending} pending order(s) exist",
                    new { product_id = Id, pending_orders = pending });
            }

            var now = time.GetUtcNow();
            await WriteAsync(() =>
            {
                state.State.Fields = current with { Active = false };
                state.State.UpdatedAt = now;
            });
        }

        return View()!;
    }

    public Task<StockReservation> ReserveAsync(long orderId, int quantity) =>
        StockAsync((fields, ledger) => StockRules.Reserve(Id, fields, ledger, orderId, quantity));

    public Task<StockReservation> CommitAsync(long orderId) =>
        StockAsync((fields, ledger) => StockRules.Commit(Id, fields, ledger, orderId));

    public Task<StockReservation> ReleaseAsync(long orderId) =>
        StockAsync((fields, ledger) => StockRules.Release(Id, fields, ledger, orderId));

    private async Task<StockReservation> StockAsync(Func<ProductFields, StockLedger, (StockReservation Reservation, bool Changed)> rule)
    {
        var fields = state.State.Fields ?? throw NotFound();
        StockReservation? reservation = null;
        await WriteAsync(
            () =>
            {
                (reservation, var changed) = rule(fields, state.State.Stock);
                return changed;
            });
        return reservation!;
    }

    /// <summary>The product's fields if it exists and belongs to <paramref name="creatorWallet"/>; 404 otherwise (no existence leak).</summary>
    private ProductFields Owned(string creatorWallet) =>
        state.State.Fields is { } fields && string.Equals(state.State.CreatorWallet, creatorWallet, StringComparison.Ordinal)
            ? fields
            : throw NotFound();

    private DomainException NotFound() => DomainException.NotFound("Product", Id.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private Task WriteAsync(Action change) => WriteAsync(() =>
    {
        change();
        return true;
    });

    /// <summary>Applies <paramref name="change"/> and stores the state if it says it changed anything.</summary>
    private async Task WriteAsync(Func<bool> change)
    {
        if (!change())
        {
            return;
        }

        await state.WriteStateAsync();
    }

    private ProductView? View()
    {
        if (state.State.Fields is not { } f)
        {
            return null;
        }

        var ledger = state.State.Stock;
        return new ProductView(Id, state.State.CreatorWallet!, f.Slug, f.Name, f.Description, f.ImageIpfsHash, f.PriceMicroAlgo,
            StockRules.Available(f.Stock, ledger.Reserved, ledger.Sold), f.Active, f.MaxPerOrder, f.MembersOnly, state.State.CreatedAt, state.State.UpdatedAt);
    }
}
