using FanForge.Grains.Merch;
using FanForge.GrainInterfaces.Errors;
using FanForge.GrainInterfaces.Merch;

namespace FanForge.Tests.Merch;

/// <summary>Product fields, prices, stock arithmetic and reservations, without a cluster.</summary>
public sealed class ProductRulesTests
{
    private static readonly ProductFields Tee = new("tee", "T-shirt", null, null, 25_000_000, Stock: 10, Active: true, MaxPerOrder: 5, MembersOnly: false);

    private static DomainException Refused(Action action) => Assert.Throws<DomainException>(action);

    [Theory]
    [InlineData("1.5", 1_500_000L)]
    [InlineData("0.000001", 1L)]
    [InlineData("25", 25_000_000L)]
    [InlineData("2.5000000", 2_500_000L)]
    [InlineData("1000000", 1_000_000_000_000L)]
    public void ParsePriceAlgo_turns_ALGO_decimals_into_exact_micro_ALGO(string algo, long micro) =>
        Assert.Equal(micro, ProductRules.ParsePriceAlgo(decimal.Parse(algo, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("1.0000001")]
    [InlineData("0.0000005")]
    [InlineData("1000000.000001")]
    [InlineData("79228162514264337593543")] // scaled to micro-ALGO this would overflow decimal: still a 400
    public void ParsePriceAlgo_refuses_non_positive_over_precise_or_huge_prices(string algo)
    {
        var refused = Refused(() => ProductRules.ParsePriceAlgo(decimal.Parse(algo, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal((DomainErrorKind.Validation, ErrorCodes.Validation), (refused.Kind, refused.Code));
    }

    [Fact]
    public void ParsePriceAlgo_requires_a_price() => Assert.Contains("required", Refused(() => ProductRules.ParsePriceAlgo(null)).Message);

    [Theory]
    [InlineData("a", "slug")]
    [InlineData("  ", "slug")]
    [InlineData(null, "slug")]
    public void Validate_refuses_a_short_or_blank_slug(string? slug, string field) =>
        Assert.Contains(field, Refused(() => ProductRules.Validate(new ProductDraft(slug!, "Name", null, null, 1, null))).Message);

    [Fact]
    public void Validate_refuses_negative_stock_a_zero_max_per_order_and_long_fields()
    {
        Assert.Contains("stock_quantity", Refused(() => ProductRules.Validate(new ProductDraft("ok", "Name", null, null, 1, -1))).Message);
        Assert.Contains("max_per_order", Refused(() => ProductRules.Validate(new ProductDraft("ok", "Name", null, null, 1, null, MaxPerOrder: 0))).Message);
        Assert.Contains("name", Refused(() => ProductRules.Validate(new ProductDraft("ok", new string('n', 201), null, null, 1, null))).Message);
        Assert.Contains("description", Refused(() => ProductRules.Validate(new ProductDraft("ok", "Name", new string('d', 2001), null, 1, null))).Message);
        Assert.Contains("max_per_order", Refused(() => ProductRules.Validate(new ProductPatch(MaxPerOrder: 0))).Message);
    }

    [Fact]
    public void Create_keeps_the_draft_and_its_defaults()
    {
        var fields = ProductRules.Create(new ProductDraft("tee", "T-shirt", "Soft", "Qm1", 25_000_000, 10));

        Assert.Equal(new ProductFields("tee", "T-shirt", "Soft", "Qm1", 25_000_000, 10, true, MerchLimits.DefaultMaxPerOrder, false), fields);
    }

    [Fact]
    public void Merge_changes_only_the_fields_the_patch_names()
    {
        var merged = ProductRules.Merge(Tee, new ProductPatch(Name: "Tee", Active: false), reserved: 0, sold: 0);

        Assert.Equal(Tee with { Name = "Tee", Active = false }, merged);
        Assert.Equal(Tee, ProductRules.Merge(Tee, new ProductPatch(), 0, 0));
    }

    [Fact]
    public void Merge_sets_stock_so_the_patched_quantity_is_what_is_available_now()
    {
        var merged = ProductRules.Merge(Tee, new ProductPatch(StockQuantity: 4, PriceMicroAlgo: 30_000_000, MembersOnly: true, MaxPerOrder: 2), reserved: 3, sold: 2);

        Assert.Equal(Tee with { Stock = 9, PriceMicroAlgo = 30_000_000, MembersOnly = true, MaxPerOrder = 2 }, merged);
        Assert.Equal(4, StockRules.Available(merged.Stock, 3, 2));
    }

    [Theory]
    [InlineData(10, 0, 0, 10)]
    [InlineData(10, 3, 2, 5)]
    [InlineData(10, 4, 6, 0)]
    [InlineData(5, 4, 6, 0)]
    public void Available_is_stock_minus_reserved_minus_sold_and_never_negative(int stock, int reserved, int sold, int available) =>
        Assert.Equal(available, StockRules.Available(stock, reserved, sold));

    [Fact]
    public void Available_is_null_for_unlimited_stock() => Assert.Null(StockRules.Available(null, 7, 100));

    [Fact]
    public void Reserve_is_idempotent_per_order_and_refuses_another_quantity()
    {
        var ledger = new StockLedger();

        var first = StockRules.Reserve(1, Tee, ledger, orderId: 7, quantity: 3);
        var again = StockRules.Reserve(1, Tee, ledger, orderId: 7, quantity: 3);
        var other = Refused(() => StockRules.Reserve(1, Tee, ledger, orderId: 7, quantity: 2));

        Assert.Equal((true, false), (first.Changed, again.Changed));
        Assert.Equal(new StockReservation(1, 7, 3, ReservationStatus.Reserved, 7), again.Reservation);
        Assert.Equal(ProductErrors.ReservationConflict, other.Code);
        Assert.Equal(3, ledger.Reserved);
    }

    [Fact]
    public void Reserve_refuses_more_than_available_an_inactive_product_and_quantities_outside_one_to_max()
    {
        var ledger = new StockLedger();
        StockRules.Reserve(1, Tee, ledger, 1, 5);
        StockRules.Reserve(1, Tee, ledger, 2, 4);

        var short1 = Refused(() => StockRules.Reserve(1, Tee, ledger, 3, 2));
        Assert.Equal((DomainErrorKind.Conflict, ProductErrors.InsufficientStock), (short1.Kind, short1.Code));
        Assert.Equal(ProductErrors.ProductUnavailable, Refused(() => StockRules.Reserve(1, Tee with { Active = false }, new StockLedger(), 3, 1)).Code);
        Assert.Equal(ProductErrors.InvalidQuantity, Refused(() => StockRules.Reserve(1, Tee, new StockLedger(), 3, 0)).Code);
        Assert.Equal(ProductErrors.InvalidQuantity, Refused(() => StockRules.Reserve(1, Tee, new StockLedger(), 3, 6)).Code);
        Assert.True(StockRules.Reserve(1, Tee, ledger, 3, 1).Changed);
        Assert.Equal(0, StockRules.Available(Tee.Stock, ledger.Reserved, ledger.Sold));
    }

    [Fact]
    public void Commit_turns_the_reservation_into_sold_once()
    {
        var ledger = new StockLedger();
        StockRules.Reserve(1, Tee, ledger, 7, 3);

        var paid = StockRules.Commit(1, Tee, ledger, 7);
        var again = StockRules.Commit(1, Tee, ledger, 7);
        var lateReserve = StockRules.Reserve(1, Tee, ledger, 7, 3);

        Assert.Equal((true, false, false), (paid.Changed, again.Changed, lateReserve.Changed));
        Assert.Equal(ReservationStatus.Committed, lateReserve.Reservation.Status);
        Assert.Equal((0, 3, 7), (ledger.Reserved, ledger.Sold, StockRules.Available(Tee.Stock, ledger.Reserved, ledger.Sold)));
        Assert.Equal(ProductErrors.ReservationCommitted, Refused(() => StockRules.Release(1, Tee, ledger, 7)).Code);
    }

    [Fact]
    public void Release_puts_the_quantity_back_once_and_a_later_commit_is_refused()
    {
        var ledger = new StockLedger();
        StockRules.Reserve(1, Tee, ledger, 7, 3);

        var released = StockRules.Release(1, Tee, ledger, 7);
        var again = StockRules.Release(1, Tee, ledger, 7);

        Assert.Equal((true, false), (released.Changed, again.Changed));
        Assert.Equal(new StockReservation(1, 7, 3, ReservationStatus.Released, 10), again.Reservation);
        Assert.Equal((0, 0), (ledger.Reserved, ledger.Sold));
        Assert.Equal(ProductErrors.ReservationReleased, Refused(() => StockRules.Commit(1, Tee, ledger, 7)).Code);
        Assert.Equal(ProductErrors.ReservationNotFound, Refused(() => StockRules.Commit(1, Tee, ledger, 8)).Code);
    }

    [Fact]
    public void Releasing_an_order_that_never_reserved_makes_its_late_reserve_a_no_op()
    {
        var ledger = new StockLedger();

        StockRules.Release(1, Tee, ledger, 9);
        var late = StockRules.Reserve(1, Tee, ledger, 9, 2);

        Assert.Equal((ReservationStatus.Released, 0, false), (late.Reservation.Status, late.Reservation.Quantity, late.Changed));
        Assert.Equal(0, ledger.Reserved);
    }

    [Fact]
    public void The_settled_window_is_bounded()
    {
        var ledger = new StockLedger();
        var unlimited = Tee with { Stock = null };
        for (var order = 1; order <= StockRules.SettledWindow + 10; order++)
        {
            StockRules.Reserve(1, unlimited, ledger, order, 1);
            StockRules.Commit(1, unlimited, ledger, order);
        }

        Assert.Equal(StockRules.SettledWindow, ledger.Settled.Count);
        Assert.Equal(StockRules.SettledWindow + 10, ledger.Sold);
    }

    [Fact]
    public void Catalog_pages_are_newest_first_with_the_listing_total()
    {
        CatalogEntry[] entries =
        [
            new(1, "a", Active: true, MembersOnly: false),
            new(2, "b", Active: false, MembersOnly: false),
            new(3, "c", Active: true, MembersOnly: true),
            new(4, "d", Active: true, MembersOnly: false),
            new(5, "e", Active: true, MembersOnly: false),
        ];

        var store = CatalogRules.Page(entries, ProductListing.Store, limit: 2, offset: 1);
        var members = CatalogRules.Page(entries, ProductListing.Members, limit: 10, offset: 0);
        var all = CatalogRules.Page(entries, ProductListing.All, limit: 10, offset: 4);

        Assert.Equal([4L, 1L], store.Page.Select(e => e.ProductId));
        Assert.Equal(3, store.Total);
        Assert.Equal([5L, 4L, 3L, 1L], members.Page.Select(e => e.ProductId));
        Assert.Equal(4, members.Total);
        Assert.Equal([1L], all.Page.Select(e => e.ProductId));
        Assert.Equal(5, all.Total);
    }
}
