using FanForge.GrainInterfaces.Loyalty;

namespace FanForge.GrainInterfaces.Merch;

/// <summary>One cart line as the fan asked for it.</summary>
[GenerateSerializer, Immutable, Alias("ff.CartLine")]
public sealed record CartLine([property: Id(0)] long ProductId, [property: Id(1)] int Quantity);

/// <summary>An order's life. Persisted by name: never rename a value.</summary>
[GenerateSerializer, Alias("ff.OrderStatus")]
public enum OrderStatus
{
    /// <summary>Stock reserved and Shawty tokens locked; waiting for the <c>ORDER:{id}</c> payment.</summary>
    PendingPayment = 0,

    /// <summary>Paid in full: stock sold, tokens burned, discount use counted.</summary>
    Paid = 1,

    /// <summary>Not paid in time: reservations and locks released.</summary>
    Expired = 2,
}

/// <summary>What the fan orders.</summary>
[GenerateSerializer, Immutable, Alias("ff.PlaceOrder")]
public sealed record PlaceOrder(
    [property: Id(0)] string Creator,
    [property: Id(1)] string Fan,
    [property: Id(2)] IReadOnlyList<CartLine> Cart,
    [property: Id(3)] IReadOnlyList<ulong> ShawtyAssetIds);

/// <summary>A priced order line.</summary>
[GenerateSerializer, Immutable, Alias("ff.OrderLine")]
public sealed record OrderLine(
    [property: Id(0)] long ProductId,
    [property: Id(1)] string Slug,
    [property: Id(2)] string Name,
    [property: Id(3)] int Quantity,
    [property: Id(4)] long UnitPriceMicroAlgo);

/// <summary>An order as the fan and the store see it; amounts in micro-ALGO.</summary>
[GenerateSerializer, Immutable, Alias("ff.OrderView")]
public sealed record OrderView(
    [property: Id(0)] long Id,
    [property: Id(1)] string Creator,
    [property: Id(2)] string Fan,
    [property: Id(3)] OrderStatus Status,
    [property: Id(4)] IReadOnlyList<OrderLine> Lines,
    [property: Id(5)] long SubtotalMicroAlgo,
    [property: Id(6)] long DiscountMicroAlgo,
    [property: Id(7)] long TotalMicroAlgo,
    [property: Id(8)] long? AppliedRuleId,
    [property: Id(9)] IReadOnlyList<ulong> ShawtyTokens,
    [property: Id(10)] long PaidMicroAlgo,
    [property: Id(11)] string? TxId,
    [property: Id(12)] DateTimeOffset CreatedAt,
    [property: Id(13)] DateTimeOffset ExpiresAt,
    [property: Id(14)] DateTimeOffset? PaidAt)
{
    /// <summary>The memo the payment must carry.</summary>
    public string Memo => $"ORDER:{Id}";

    /// <summary>Owed back to the fan: everything paid for an expired order, else what was paid beyond the total.</summary>
    public long RefundDueMicroAlgo => Status == OrderStatus.Expired ? PaidMicroAlgo : Math.Max(0, PaidMicroAlgo - TotalMicroAlgo);
}

/// <summary>
/// One merch order (key: order id from the <c>order</c> id sequence). Placing reserves stock and locks the Shawty tokens
/// the discount needs; the <c>ORDER:{id}</c> payment settles it; a reminder expires it unpaid and releases both.
/// </summary>
[Alias("ff.IOrder")]
public interface IOrder : IGrainWithIntegerKey
{
    /// <summary>Places the order once; the same request again returns it as it is now, another request is a 409.</summary>
    [Alias("Place")]
    Task<OrderView> PlaceAsync(PlaceOrder request);

    /// <summary>The order, or null if none was placed under this id.</summary>
    [Alias("Get")]
    Task<OrderView?> GetAsync();

    /// <summary>
    /// A confirmed payment with this order's memo. Payments accumulate (an underpayment leaves the order pending and
    /// is kept); reaching the total pays it; anything beyond is recorded as overpaid. Idempotent by chain position.
    /// </summary>
    [Alias("ApplyPayment")]
    Task<OrderView?> ApplyPaymentAsync(ChainTip payment);

    /// <summary>
    /// The unsigned payment group for the fan's wallet to sign, exactly the Tip page's shape: [pay the total to the
    /// creator's TipProxy account, app call ("tip", "ORDER:{id}") with a flat fee of 3000], each msgpack-encoded.
    /// </summary>
    [Alias("BuildPayment")]
    Task<IReadOnlyList<byte[]>> BuildPaymentAsync();
}

/// <summary>A fan's orders (key: fan wallet): order ids newest first, and the ids idempotency keys were used for.</summary>
[Alias("ff.IFanOrders")]
public interface IFanOrders : IGrainWithStringKey
{
    /// <summary>The order id for <paramref name="idempotencyKey"/> (null: always a new one), allocated and listed once.</summary>
    [Alias("Open")]
    Task<long> OpenAsync(string? idempotencyKey);

    /// <summary>A page of order ids, newest first, and the total.</summary>
    [Alias("GetPage")]
    Task<(IReadOnlyList<long> Ids, int Total)> GetPageAsync(int offset, int limit);
}
