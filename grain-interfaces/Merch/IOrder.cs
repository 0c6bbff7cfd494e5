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

    /// <summary>
    /// The card payment was refunded in full. Refunded after it was paid: what was sold stays sold (restocking is the
    /// creator's call) and the creator's sales are reversed; refunded before the payment was seen: released like Expired.
    /// </summary>
    Refunded = 3,

    /// <summary>
    /// Cancelled by the fan before it was paid: reservations and locks released at once. A payment that still arrives
    /// is kept and owed back, as for an expired order.
    /// </summary>
    Cancelled = 4,
}

/// <summary>How an order was paid.</summary>
[GenerateSerializer, Alias("ff.PaymentMethod")]
public enum PaymentMethod
{
    /// <summary>Not paid.</summary>
    None = 0,

    /// <summary>On chain, by the <c>ORDER:{id}</c> payment group.</summary>
    Chain = 1,

    /// <summary>By card through a Stripe Checkout Session.</summary>
    Card = 2,
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
    [property: Id(14)] DateTimeOffset? PaidAt,
    [property: Id(15)] PaymentMethod PaidBy = PaymentMethod.None,
    [property: Id(16)] CardPaymentView? Card = null)
{
    /// <summary>The memo the payment must carry.</summary>
    public string Memo => $"ORDER:{Id}";

    /// <summary>
    /// ALGO owed back to the fan: everything paid on chain for an expired, cancelled, refunded or card-paid order, else
    /// what was paid beyond the total. (Card money goes back through the provider's refunds, not here.)
    /// </summary>
    public long RefundDueMicroAlgo => Status is OrderStatus.Expired or OrderStatus.Refunded or OrderStatus.Cancelled || PaidBy == PaymentMethod.Card
        ? PaidMicroAlgo
        : Math.Max(0, PaidMicroAlgo - TotalMicroAlgo);
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

    /// <summary>
    /// Fixes the card checkout terms on the first call (later calls return them unchanged, with the session once
    /// recorded). The session may not outlive the order, so when less than <paramref name="minimumLifetime"/> (the
    /// provider's shortest session) is left, the order's payment window is extended to it once. 409
    /// <c>order_not_payable</c> unless pending payment.
    /// </summary>
    [Alias("StartCardCheckout")]
    Task<CardCheckout> StartCardCheckoutAsync(long amountMinor, string currency, TimeSpan minimumLifetime);

    /// <summary>Records the provider's checkout session for the terms fixed by <see cref="StartCardCheckoutAsync"/>; the first one stays.</summary>
    [Alias("RecordCheckoutSession")]
    Task<CardCheckout> RecordCheckoutSessionAsync(string sessionId, string url);

    /// <summary>
    /// Applies a verified card event once per event id, in any order: a completed checkout for the checkout amount
    /// pays a pending order (the same Paid transition and follow-up as a chain payment), a wrong amount is recorded
    /// and the order stays pending; a failure is recorded; a full refund makes a card-paid or pending order Refunded
    /// (never paid again afterwards); an expired session leaves the order to its own expiry.
    /// </summary>
    [Alias("ApplyCardEvent")]
    Task<CardEventResult> ApplyCardEventAsync(CardEvent cardEvent);

    /// <summary>
    /// The fan cancels the pending order: it becomes Cancelled and its stock and token locks are released before this
    /// returns. Cancelling a cancelled order returns it unchanged; any other status is a 409
    /// <c>order_not_cancellable</c>; another fan's order (or none) a 404.
    /// </summary>
    [Alias("Cancel")]
    Task<OrderView> CancelAsync(string fan);
}
