using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;
using FanForge.Api.Auth;
using FanForge.GrainInterfaces.Errors;
using FanForge.GrainInterfaces.Merch;
using FanForge.Silo;
using Microsoft.AspNetCore.Http.HttpResults;
using Stripe;
using Stripe.Checkout;

namespace FanForge.Api.Payments;

/// <summary>
/// Card payments through Stripe Checkout: the fan opens a Checkout Session for a pending order; Stripe's signed
/// webhook events pay, fail or refund it, each applied once per event id by the order itself.
/// </summary>
internal static class PaymentsApi
{
    /// <summary>Stripe's shortest Checkout Session is 30 minutes; one more absorbs clock skew.</summary>
    public static readonly TimeSpan MinimumSessionLifetime = TimeSpan.FromMinutes(31);

    /// <summary>Far above any Stripe event; a larger body is refused before it is read.</summary>
    private const int MaxWebhookBytes = 512 * 1024;

    public static IServiceCollection AddStripePayments(this IServiceCollection services)
    {
        services.AddValidatedOptions<StripeSettings, StripeSettingsRules>(StripeSettings.SectionName);
        services.AddHttpClient(StripeGateway.HttpClientName);
        services.AddSingleton<StripeGateway>();
        services.AddSingleton<StripeWebhookVerifier>();
        return services;
    }

    public static IEndpointRouteBuilder MapPayments(this IEndpointRouteBuilder routes)
    {
        var payments = routes.MapGroup("/payments").WithTags("Payments");
        payments.MapPost("/checkout", CheckoutAsync).RequireAuthorization(Policies.Authenticated)
            .WithSummary("A Stripe Checkout Session for the caller's pending order (same session on retries); 503 stripe_disabled without keys");
        payments.MapPost("/webhook", WebhookAsync).AllowAnonymous()
            .WithSummary("Stripe's signed events (Stripe-Signature on the raw body), each applied once per event id");
        return routes;
    }

    private static async Task<Ok<CheckoutResponse>> CheckoutAsync(
        CheckoutRequest request, HttpContext context, StripeGateway stripe, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var settings = stripe.Settings;
        var client = stripe.Client;
        if (request.OrderId is not (> 0 and var id))
        {
            throw DomainException.Invalid(ErrorCodes.Validation, "order_id must be a positive order id.");
        }

        var order = grains.GetGrain<IOrder>(id);
        var view = await order.GetAsync() ?? throw DomainException.NotFound("Order", id.ToString(CultureInfo.InvariantCulture));
        if (!string.Equals(view.Fan, context.User.WalletOf(), StringComparison.Ordinal))
        {
            throw DomainException.Forbidden(ErrorCodes.Forbidden, "Only the order's fan can pay it.");
        }

        var amount = settings.ToMinorUnits(view.TotalMicroAlgo);
        if (view.Status == OrderStatus.PendingPayment && amount <= 0)
        {
            throw DomainException.Conflict(OrderErrors.OrderNotPayable, $"Order {id} has nothing to pay by card.");
        }

        // Terms are fixed on the order first, so every retry sends Stripe the same parameters under the same key.
        var terms = await order.StartCardCheckoutAsync(amount, settings.Currency, MinimumSessionLifetime);
        if (terms is { SessionId: { } existing, Url: { } existingUrl })
        {
            return TypedResults.Ok(new CheckoutResponse(id, existing, existingUrl));
        }

        var orderId = id.ToString(CultureInfo.InvariantCulture);
        var metadata = new Dictionary<string, string> { ["order_id"] = orderId, ["creator_wallet"] = view.Creator };
        Session session;
        try
        {
            session = await new SessionService(client).CreateAsync(
                new SessionCreateOptions
                {
                    Mode = "payment",
                    ClientReferenceId = orderId,
                    Metadata = metadata,
                    PaymentIntentData = new SessionPaymentIntentDataOptions { Metadata = new Dictionary<string, string>(metadata) },
                    ExpiresAt = terms.ExpiresAt.UtcDateTime,
                    SuccessUrl = settings.SuccessUrl,
                    CancelUrl = settings.CancelUrl,
                    LineItems =
                    [
                        new SessionLineItemOptions
                        {
                            Quantity = 1,
                            PriceData = new SessionLineItemPriceDataOptions
                            {
                                Currency = terms.Currency,
                                UnitAmount = terms.AmountMinor,
                                ProductData = new SessionLineItemPriceDataProductDataOptions
                                {
                                    Name = $"FanForge order {orderId}",
                                    Description = string.Join(", ", view.Lines.Select(l => $"{l.Quantity} × {l.Name}")),
                                },
                            },
                        },
                    ],
                },
                new RequestOptions { IdempotencyKey = $"order-{orderId}-checkout" },
                cancellationToken);
        }
        catch (StripeException e)
        {
            throw new DomainException(DomainErrorKind.Upstream, PaymentErrors.StripeError, "Stripe did not create the checkout session.",
                new { status = (int)e.HttpStatusCode, type = e.StripeError?.Type, code = e.StripeError?.Code });
        }

        var recorded = await order.RecordCheckoutSessionAsync(session.Id, session.Url);
        return TypedResults.Ok(new CheckoutResponse(id, recorded.SessionId!, recorded.Url!));
    }

    private static async Task<Results<Ok<WebhookReceipt>, StatusCodeHttpResult>> WebhookAsync(
        HttpRequest request, StripeGateway stripe, StripeWebhookVerifier verifier, IGrainFactory grains, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxWebhookBytes)
        {
            return TypedResults.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        // The signature covers the bytes as sent: read them as they are, never model-bound or re-serialised.
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        var json = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        var stripeEvent = verifier.Verify(json, request.Headers["Stripe-Signature"].ToString());
        var logger = loggers.CreateLogger("FanForge.Api.Payments.Webhook");

        var (orderId, cardEvent) = await ReadAsync(stripeEvent, stripe, cancellationToken);
        if (cardEvent is null)
        {
            return TypedResults.Ok(new WebhookReceipt(true, stripeEvent.Id, "ignored"));
        }

        if (orderId is null)
        {
            logger.LogWarning("Stripe event {EventId} ({Type}) names no FanForge order; ignored", stripeEvent.Id, stripeEvent.Type);
            return TypedResults.Ok(new WebhookReceipt(true, stripeEvent.Id, "unknown_order"));
        }

        var result = await grains.GetGrain<IOrder>(orderId.Value).ApplyCardEventAsync(cardEvent);
        if (result.Outcome == CardEventOutcome.UnknownOrder)
        {
            logger.LogWarning("Stripe event {EventId} ({Type}) is for order {OrderId}, which does not exist; ignored", stripeEvent.Id, stripeEvent.Type, orderId);
        }
        else
        {
            logger.LogInformation("Stripe event {EventId} ({Type}) for order {OrderId}: {Outcome}, order {Status}",
                stripeEvent.Id, stripeEvent.Type, orderId, result.Outcome, result.Order?.Status);
        }

        return TypedResults.Ok(new WebhookReceipt(true, stripeEvent.Id, OutcomeName(result.Outcome)));
    }

    /// <summary>The order and what the event says about it; no card event for types we do not act on.</summary>
    private static async Task<(long? OrderId, CardEvent? Event)> ReadAsync(Event e, StripeGateway stripe, CancellationToken cancellationToken)
    {
        CardEvent Card(CardEventKind kind, string? session, string? intent, long amount, string? currency, string? failure = null, bool full = false) =>
            new(e.Id, kind, session, intent, amount, currency, failure, full, new DateTimeOffset(DateTime.SpecifyKind(e.Created, DateTimeKind.Utc)));

        switch (e.Type, e.Data.Object)
        {
            case (EventTypes.CheckoutSessionCompleted or EventTypes.CheckoutSessionAsyncPaymentSucceeded, Session s):
                // "unpaid": a delayed method is still settling; async_payment_succeeded will follow.
                return s.PaymentStatus == "paid"
                    ? (OrderIdOf(s.Metadata, s.ClientReferenceId), Card(CardEventKind.CheckoutCompleted, s.Id, s.PaymentIntentId, s.AmountTotal ?? 0, s.Currency))
                    : (null, null);
            case (EventTypes.CheckoutSessionExpired, Session s):
                return (OrderIdOf(s.Metadata, s.ClientReferenceId), Card(CardEventKind.CheckoutExpired, s.Id, s.PaymentIntentId, 0, s.Currency));
            case (EventTypes.PaymentIntentPaymentFailed, PaymentIntent pi):
                var reason = pi.LastPaymentError is { } error ? error.DeclineCode ?? error.Code ?? error.Message : null;
                return (OrderIdOf(pi.Metadata, null), Card(CardEventKind.PaymentFailed, null, pi.Id, pi.Amount, pi.Currency, reason ?? "payment_failed"));
            case (EventTypes.ChargeRefunded, Charge c):
                var order = OrderIdOf(c.Metadata, null) ?? await OrderOfIntentAsync(c.PaymentIntentId, stripe, cancellationToken);
                return (order, Card(CardEventKind.Refunded, null, c.PaymentIntentId, c.AmountRefunded, c.Currency, full: c.Refunded));
            default:
                return (null, null);
        }
    }

    /// <summary>A charge whose metadata lacks the order: its PaymentIntent carries it (set through payment_intent_data).</summary>
    private static async Task<long?> OrderOfIntentAsync(string? intentId, StripeGateway stripe, CancellationToken cancellationToken)
    {
        if (intentId is null)
        {
            return null;
        }

        var intent = await new PaymentIntentService(stripe.Client).GetAsync(intentId, cancellationToken: cancellationToken);
        return OrderIdOf(intent.Metadata, null);
    }

    /// <summary>Our metadata <c>order_id</c>, else <c>client_reference_id</c>: a plain positive order id, anything else is not ours.</summary>
    private static long? OrderIdOf(IDictionary<string, string>? metadata, string? clientReferenceId)
    {
        var text = metadata is not null && metadata.TryGetValue("order_id", out var value) ? value : clientReferenceId;
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0 ? id : null;
    }

    private static string OutcomeName(CardEventOutcome outcome) => outcome switch
    {
        CardEventOutcome.UnknownOrder => "unknown_order",
        CardEventOutcome.Duplicate => "duplicate",
        CardEventOutcome.Applied => "applied",
        CardEventOutcome.Recorded => "recorded",
        _ => "ignored",
    };
}

internal sealed record CheckoutRequest([property: JsonPropertyName("order_id")] long? OrderId);

internal sealed record CheckoutResponse(
    [property: JsonPropertyName("order_id")] long OrderId,
    [property: JsonPropertyName("session_id")] string SessionId,
    [property: JsonPropertyName("url")] string Url);

internal sealed record WebhookReceipt(
    [property: JsonPropertyName("received")] bool Received,
    [property: JsonPropertyName("event_id")] string EventId,
    [property: JsonPropertyName("outcome")] string Outcome);
