using System.Security.Cryptography;
using FanForge.GrainInterfaces.Errors;
using FanForge.GrainInterfaces.Merch;
using FanForge.Tests.Infrastructure;

namespace FanForge.Tests.Merch;

[Collection(ClusterCollection.Name)]
public sealed class ProductGrainTests(InProcessClusterFixture cluster)
{
    private static long nextOrder = 1_000_000;

    private IGrainFactory Grains => cluster.Client;

    private static string NewWallet() => new TestWallet(RandomNumberGenerator.GetBytes(32)).Address;

    private static long NewOrderId() => Interlocked.Increment(ref nextOrder);

    private ICreatorCatalog Catalog(string creator) => Grains.GetGrain<ICreatorCatalog>(creator);

    private IProduct Product(long id) => Grains.GetGrain<IProduct>(id);

    private static ProductDraft Draft(string slug, int? stock = 10, int maxPerOrder = 5) =>
        new(slug, "Tour T-shirt", "Black, cotton", "QmHash", 25_000_000, stock, MaxPerOrder: maxPerOrder);

    private static async Task<DomainException> RefusedAsync(Func<Task> write) => await Assert.ThrowsAsync<DomainException>(write);

    [Fact]
    public async Task Fifty_concurrent_reservations_of_the_last_ten_items_sell_exactly_ten()
    {
        var product = await Catalog(NewWallet()).CreateAsync(Draft("last-ten", stock: 10), null);
        var orders = Enumerable.Range(0, 50).Select(_ => NewOrderId()).ToList();

        var outcomes = await Task.WhenAll(orders.Select(async order =>
        {
            try
            {
                await Product(product.Id).ReserveAsync(order, 1);
                return "reserved";
            }
            catch (DomainException e) when (e.Kind == DomainErrorKind.Conflict)
            {
                return e.Code;
            }
        }));

        Assert.Equal(10, outcomes.Count(o => o == "reserved"));
        Assert.Equal(40, outcomes.Count(o => o == ProductErrors.InsufficientStock));
        Assert.Equal(new ProductStock(10, 10, 0, 0, 10), await Product(product.Id).GetStockAsync());
        Assert.Equal(0, (await Product(product.Id).GetAsync())!.StockAvailable);
    }

    [Fact]
    public async Task Reserve_commit_and_release_are_idempotent_per_order()
    {
        var product = await Catalog(NewWallet()).CreateAsync(Draft("idem", stock: 10), null);
        var grain = Product(product.Id);
        var (paid, cancelled) = (NewOrderId(), NewOrderId());

        await grain.ReserveAsync(paid, 3);
        var reserveAgain = await grain.ReserveAsync(paid, 3);
        await grain.ReserveAsync(cancelled, 2);
        Assert.Equal(new StockReservation(product.Id, paid, 3, ReservationStatus.Reserved, 7), reserveAgain);
        Assert.Equal(5, (await grain.GetAsync())!.StockAvailable);

        var commits = await Task.WhenAll(grain.CommitAsync(paid), grain.CommitAsync(paid));
        var releases = await Task.WhenAll(grain.ReleaseAsync(cancelled), grain.ReleaseAsync(cancelled));
        var lateReserve = await grain.ReserveAsync(cancelled, 2);

        Assert.All(commits, c => Assert.Equal((ReservationStatus.Committed, 3), (c.Status, c.Quantity)));
        Assert.All(releases, r => Assert.Equal((ReservationStatus.Released, 2), (r.Status, r.Quantity)));
        Assert.Equal(ReservationStatus.Released, lateReserve.Status);
        Assert.Equal(new ProductStock(10, 0, 3, 7, 0), await grain.GetStockAsync());
        Assert.Equal(ProductErrors.ReservationReleased, (await RefusedAsync(() => grain.CommitAsync(cancelled))).Code);
        Assert.Equal(ProductErrors.ReservationCommitted, (await RefusedAsync(() => grain.ReleaseAsync(paid))).Code);
    }

    [Fact]
    public async Task Delete_is_refused_while_an_order_holds_stock_and_allowed_once_it_is_released()
    {
        var creator = NewWallet();
        var product = await Catalog(creator).CreateAsync(Draft("held"), null);
        var order = NewOrderId();
        await Product(product.Id).ReserveAsync(order, 1);

        var refused = await RefusedAsync(() => Catalog(creator).DeleteAsync(product.Id));
        Assert.Equal((DomainErrorKind.Conflict, ProductErrors.PendingOrders), (refused.Kind, refused.Code));
        Assert.Equal("Cannot delete product held: 1 pending order(s) exist", refused.Message);

        await Product(product.Id).ReleaseAsync(order);
        var deleted = await Catalog(creator).DeleteAsync(product.Id);
        var again = await Catalog(creator).DeleteAsync(product.Id);

        Assert.False(deleted.Active);
        Assert.Equal(deleted, again);
        Assert.Equal(ProductErrors.ProductUnavailable, (await RefusedAsync(() => Product(product.Id).ReserveAsync(NewOrderId(), 1))).Code);
        Assert.Equal(0, (await Catalog(creator).ListAsync(ProductListing.Store, 50, 0)).Total);
        Assert.Equal(1, (await Catalog(creator).ListAsync(ProductListing.All, 50, 0)).Total);
    }

    [Fact]
    public async Task A_duplicate_slug_is_a_conflict_on_create_and_on_rename_but_not_across_creators()
    {
        var (creator, other) = (NewWallet(), NewWallet());
        var first = await Catalog(creator).CreateAsync(Draft("hoodie"), null);
        var second = await Catalog(creator).CreateAsync(Draft("cap"), null);

        var create = await RefusedAsync(() => Catalog(creator).CreateAsync(Draft("hoodie"), null));
        var rename = await RefusedAsync(() => Catalog(creator).UpdateAsync(second.Id, new ProductPatch(Slug: "hoodie")));
        var elsewhere = await Catalog(other).CreateAsync(Draft("hoodie"), null);
        var renamedToItself = await Catalog(creator).UpdateAsync(first.Id, new ProductPatch(Slug: "hoodie", Name: "Hoodie"));

        Assert.Equal((DomainErrorKind.Conflict, ProductErrors.DuplicateSlug), (create.Kind, create.Code));
        Assert.Equal(ProductErrors.DuplicateSlug, rename.Code);
        Assert.Equal("hoodie", elsewhere.Slug);
        Assert.Equal("Hoodie", renamedToItself.Name);
        Assert.Equal(2, (await Catalog(creator).ListAsync(ProductListing.All, 50, 0)).Total);
    }

    [Fact]
    public async Task Ids_come_from_the_sequence_and_a_create_retried_with_its_key_returns_the_first_product()
    {
        var creator = NewWallet();
        var key = Guid.NewGuid().ToString();

        var first = await Catalog(creator).CreateAsync(Draft("poster"), key);
        var retry = await Catalog(creator).CreateAsync(Draft("poster-2"), key);
        var other = await Catalog(creator).CreateAsync(Draft("poster-2"), null);

        Assert.Equal(first, retry);
        Assert.NotEqual(first.Id, other.Id);
        Assert.True(first.Id > 0);
        Assert.Equal([other.Id, first.Id], (await Catalog(creator).ListAsync(ProductListing.All, 50, 0)).Items.Select(p => p.Id));
    }

    [Fact]
    public async Task A_creator_cannot_touch_another_creators_product()
    {
        var (owner, intruder) = (NewWallet(), NewWallet());
        var product = await Catalog(owner).CreateAsync(Draft("mine"), null);

        var update = await RefusedAsync(() => Catalog(intruder).UpdateAsync(product.Id, new ProductPatch(Name: "Stolen")));
        var delete = await RefusedAsync(() => Catalog(intruder).DeleteAsync(product.Id));
        var direct = await RefusedAsync(() => Product(product.Id).UpdateAsync(intruder, new ProductPatch(Name: "Stolen")));

        Assert.All([update, delete, direct], e => Assert.Equal(DomainErrorKind.NotFound, e.Kind));
        Assert.Equal("Tour T-shirt", (await Product(product.Id).GetAsync())!.Name);
    }

    [Fact]
    public async Task Patching_stock_sets_what_is_available_next_to_reservations()
    {
        var creator = NewWallet();
        var product = await Catalog(creator).CreateAsync(Draft("stocked", stock: 5), null);
        await Product(product.Id).ReserveAsync(NewOrderId(), 2);

        var patched = await Catalog(creator).UpdateAsync(product.Id, new ProductPatch(StockQuantity: 4, PriceMicroAlgo: 1_000_000));

        Assert.Equal((4, 1_000_000L, "stocked"), (patched.StockAvailable, patched.PriceMicroAlgo, patched.Slug));
        Assert.Equal(new ProductStock(6, 2, 0, 4, 1), await Product(product.Id).GetStockAsync());
    }
}
