namespace FanForge.GrainInterfaces.Merch;

/// <summary>
/// The card checkout of an order: the terms are fixed by the first checkout request and reused by every retry, so the
/// provider's idempotency key always comes with the same parameters; the session is recorded once created.
/// </summary>
[GenerateSerializer, Immutable, Alias("ff.CardCheckout")]
public sealed record CardCheckout(
    [property: Id(0)] long AmountMinor,
    [property: Id(1)] string Currency,
    [property: Id(2)] DateTimeOffset ExpiresAt,
    [property: Id(3)] string? SessionId,
    [property: Id(4)] string? Url);

/// <summary>What a verified provider event says about an order's card payment.</summary>
[GenerateSerializer, Alias("ff.CardEventKind")]
public enum CardEventKind
{
    /// <summary>The checkout session completed with its payment made.</summary>
    CheckoutCompleted = 0,

    /// <summary>The checkout session expired unpaid.</summary>
    CheckoutExpired = 1,

    /// <summary>A payment attempt failed; the fan may retry inside the same session.</summary>
    PaymentFailed = 2,

    /// <summary>The charge was refunded (in full or in part).</summary>
    Refunded = 3,
}

/// <summary>A verified provider event for one order; <see cref="EventId"/> makes it apply once.</summary>
[GenerateSerializer, Immutable, Alias("ff.CardEvent")]
public sealed record CardEvent(
    [property: Id(0)] string EventId,
    [property: Id(1)] CardEventKind Kind,
    [property: Id(2)] string? SessionId,
    [property: Id(3)] string? PaymentIntentId,
    [property: Id(4)] long AmountMinor,
    [property: Id(5)] string? Currency,
    [property: Id(6)] string? FailureReason,
    [property: Id(7)] bool FullRefund,
    [property: Id(8)] DateTimeOffset OccurredAt);

/// <summary>What applying a <see cref="CardEvent"/> did.</summary>
[GenerateSerializer, Alias("ff.CardEventOutcome")]
public enum CardEventOutcome
{
    /// <summary>No order under this id: nothing to apply.</summary>
    UnknownOrder = 0,

    /// <summary>This event id was applied before: nothing done again.</summary>
    Duplicate = 1,

    /// <summary>The order changed status (paid, refunded).</summary>
    Applied = 2,

    /// <summary>Recorded on the order without a status change (a failure, a mismatch, a late or partial event).</summary>
    Recorded = 3,

    /// <summary>Nothing to do in the order's current status.</summary>
    Ignored = 4,
}

/// <summary>The outcome of <see cref="IOrder.ApplyCardEventAsync"/> and the order afterwards.</summary>
[GenerateSerializer, Immutable, Alias("ff.CardEventResult")]
public sealed record CardEventResult([property: Id(0)] CardEventOutcome Outcome, [property: Id(1)] OrderView? Order);

/// <summary>The order's card payment as recorded from the provider's events; amounts in the currency's minor units.</summary>
[GenerateSerializer, Immutable, Alias("ff.CardPaymentView")]
public sealed record CardPaymentView(
    [property: Id(0)] CardCheckout? Checkout,
    [property: Id(1)] string? PaymentIntentId,
    [property: Id(2)] long PaidMinor,
    [property: Id(3)] long RefundedMinor,
    [property: Id(4)] string? LastFailure,
    [property: Id(5)] string? Issue);
