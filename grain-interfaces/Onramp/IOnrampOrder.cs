namespace FanForge.GrainInterfaces.Onramp;

/// <summary>
/// An on-ramp order's life, in the order statuses may follow each other. Persisted by name: never rename a value.
/// </summary>
[GenerateSerializer, Alias("ff.OnrampStatus")]
public enum OnrampStatus
{
    /// <summary>Created here; Transak has not reported it yet.</summary>
    Pending = 0,

    /// <summary>Transak reports the order in progress (awaiting or verifying payment, delivering the crypto).</summary>
    Processing = 1,

    /// <summary>Transak delivered the crypto to the fan's wallet.</summary>
    Completed = 2,

    /// <summary>The payment failed.</summary>
    Failed = 3,

    /// <summary>The fan did not pay in time.</summary>
    Expired = 4,

    /// <summary>The order was cancelled.</summary>
    Cancelled = 5,

    /// <summary>The fiat payment was refunded.</summary>
    Refunded = 6,
}

/// <summary>What the fan asks for; the fiat amount in the currency's minor units (paise, cents).</summary>
[GenerateSerializer, Immutable, Alias("ff.CreateOnrampOrder")]
public sealed record CreateOnrampOrder(
    [property: Id(0)] string FanWallet,
    [property: Id(1)] string CreatorWallet,
    [property: Id(2)] long FiatMinor,
    [property: Id(3)] string FiatCurrency,
    [property: Id(4)] long OrderId);

/// <summary>
/// A verified Transak webhook for one order. <see cref="TransakStatus"/> is Transak's own status name;
/// <see cref="CryptoMicroAlgo"/> is the delivered amount when Transak reports one.
/// </summary>
[GenerateSerializer, Immutable, Alias("ff.OnrampWebhook")]
public sealed record OnrampWebhook(
    [property: Id(0)] string? EventId,
    [property: Id(1)] string TransakStatus,
    [property: Id(2)] string? TransakOrderId,
    [property: Id(3)] long? CryptoMicroAlgo,
    [property: Id(4)] string? WalletAddress,
    [property: Id(5)] string? TransactionHash);

/// <summary>What applying an <see cref="OnrampWebhook"/> did.</summary>
[GenerateSerializer, Alias("ff.OnrampWebhookOutcome")]
public enum OnrampWebhookOutcome
{
    /// <summary>No order under this partner order id.</summary>
    UnknownOrder = 0,

    /// <summary>This (order, Transak status) pair was applied before: nothing done again.</summary>
    Duplicate = 1,

    /// <summary>The order moved forward to a new status.</summary>
    Applied = 2,

    /// <summary>The status is not ahead of the order's (a late or out-of-order event): the order keeps its status.</summary>
    Stale = 3,

    /// <summary>A Transak status this service does not act on.</summary>
    Unhandled = 4,
}

/// <summary>The outcome of <see cref="IOnrampOrder.ApplyWebhookAsync"/> and the order afterwards.</summary>
[GenerateSerializer, Immutable, Alias("ff.OnrampWebhookResult")]
public sealed record OnrampWebhookResult([property: Id(0)] OnrampWebhookOutcome Outcome, [property: Id(1)] OnrampOrderView? Order);

/// <summary>One on-ramp order as recorded.</summary>
[GenerateSerializer, Immutable, Alias("ff.OnrampOrderView")]
public sealed record OnrampOrderView(
    [property: Id(0)] string PartnerOrderId,
    [property: Id(1)] long OrderId,
    [property: Id(2)] string FanWallet,
    [property: Id(3)] string CreatorWallet,
    [property: Id(4)] long FiatMinor,
    [property: Id(5)] string FiatCurrency,
    [property: Id(6)] OnrampStatus Status,
    [property: Id(7)] long? CryptoMicroAlgo,
    [property: Id(8)] string? TransakOrderId,
    [property: Id(9)] string? FundedWallet,
    [property: Id(10)] string? TransactionHash,
    [property: Id(11)] string? Issue,
    [property: Id(12)] DateTimeOffset CreatedAt,
    [property: Id(13)] DateTimeOffset? CompletedAt);

/// <summary>
/// One fiat-to-ALGO purchase through Transak (key: partner order id). The crypto goes straight to the fan's wallet;
/// the platform sends nothing on chain for it (the prototype's platform-sent tip credited the platform).
/// </summary>
[Alias("ff.IOnrampOrder")]
public interface IOnrampOrder : IGrainWithStringKey
{
    /// <summary>Creates the order once; the same request again returns it as it is now, another request is a 409.</summary>
    [Alias("Create")]
    Task<OnrampOrderView> CreateAsync(CreateOnrampOrder request);

    /// <summary>The order, or null if none was created under this id.</summary>
    [Alias("Get")]
    Task<OnrampOrderView?> GetAsync();

    /// <summary>
    /// Applies a verified webhook, or the order as re-fetched from Transak's order API, once per Transak status and
    /// only if it moves the order forward.
    /// </summary>
    [Alias("ApplyWebhook")]
    Task<OnrampWebhookResult> ApplyWebhookAsync(OnrampWebhook webhook);
}

/// <summary>A fan's on-ramp orders (key: fan wallet): partner order ids oldest first, and idempotency keys.</summary>
[Alias("ff.IFanOnrampOrders")]
public interface IFanOnrampOrders : IGrainWithStringKey
{
    /// <summary>
    /// The partner order id and order number for <paramref name="idempotencyKey"/> (null: always a new one),
    /// allocated and listed once.
    /// </summary>
    [Alias("Open")]
    Task<(string PartnerOrderId, long OrderId)> OpenAsync(string creatorWallet, string? idempotencyKey);

    /// <summary>The newest <paramref name="limit"/> partner order ids, newest first.</summary>
    [Alias("GetRecent")]
    Task<IReadOnlyList<string>> GetRecentAsync(int limit);
}
