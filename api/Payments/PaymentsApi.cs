using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using FanForge.Api.Auth;
using FanForge.Api.Responses;
using FanForge.Grains.Algorand;
using FanForge.GrainInterfaces.Creators;
using FanForge.GrainInterfaces.Errors;
using FanForge.GrainInterfaces.Loyalty;
using FanForge.GrainInterfaces.Memberships;
using FanForge.GrainInterfaces.Merch;
using FanForge.Silo;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
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

    /// <summary>Our metadata on a membership session and its PaymentIntent: whose membership, and which checkout.</summary>
    private const string MembershipCreatorKey = "membership_creator";
    private const string MembershipFanKey = "membership_fan";
    private const string MembershipCheckoutKey = "membership_checkout";

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
            .WithSummary("A Stripe Checkout Session for the caller's pending order ({order_id}; same session on retries) or for a Bauni membership "
                + "of a creator ({membership:{creator_wallet}}; at the creator's price, same session on retries with the same X-Idempotency-Key); "
                + "503 stripe_disabled without keys");
        payments.MapPost("/webhook", WebhookAsync).AllowAnonymous()
            .WithSummary("Stripe's signed events (Stripe-Signature on the raw body), each applied once per event id");
        return routes;
    }

    /// <summary>A Checkout Session for one line item, its metadata also on the payment intent, so events about the payment carry it too.</summary>
    private static SessionCreateOptions OneItemSession(
        StripeSettings settings, string clientReference, Dictionary<string, string> metadata, string currency, long amountMinor,
        string name, string description, DateTimeOffset? expiresAt) => new()
    {
        Mode = "payment",
        ClientReferenceId = clientReference,
        Metadata = metadata,
        PaymentIntentData = new SessionPaymentIntentDataOptions { Metadata = new Dictionary<string, string>(metadata) },
        ExpiresAt = expiresAt?.UtcDateTime,
        SuccessUrl = settings.SuccessUrl,
        CancelUrl = settings.CancelUrl,
        LineItems =
        [
            new SessionLineItemOptions
            {
                Quantity = 1,
                PriceData = new SessionLineItemPriceDataOptions
                {
                    Currency = currency,
                    UnitAmount = amountMinor,
                    ProductData = new SessionLineItemPriceDataProductDataOptions { Name = name, Description = description },
                },
            },
        ],
    };

    private static async Task<Ok<CheckoutResponse>> CheckoutAsync(
        CheckoutRequest request, [FromHeader(Name = "X-Idempotency-Key")] string? idempotencyKey, HttpContext context, StripeGateway stripe,
        IGrainFactory grains, CancellationToken cancellationToken)
    {
        var settings = stripe.Settings;
        var client = stripe.Client;
        if (request.Membership is { } membership)
        {
            return request.OrderId is null
                ? TypedResults.Ok(await MembershipCheckoutAsync(membership, RequestValues.IdempotencyKey(idempotencyKey), context, stripe, grains, cancellationToken))
                : throw DomainException.Invalid(ErrorCodes.Validation, "Send either order_id or membership, not both.");
        }

        if (request.OrderId is not (> 0 and var id))
        {
            throw DomainException.Invalid(ErrorCodes.Validation, "order_id must be a positive order id (or send membership.creator_wallet).");
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
                OneItemSession(
                    settings, orderId, metadata, terms.Currency, terms.AmountMinor, $"FanForge order {orderId}",
                    string.Join(", ", view.Lines.Select(l => $"{l.Quantity} × {l.Name}")), terms.ExpiresAt),
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

    /// <summary>
    /// A Checkout Session for one Bauni membership purchase by the caller, at the creator's price now: the membership
    /// fixes the terms under the idempotency key first, so a retry sends Stripe the same parameters under the same key
    /// and gets the same session; without a key every call is a new purchase.
    /// </summary>
    private static async Task<CheckoutResponse> MembershipCheckoutAsync(
        MembershipCheckoutRequest request, string? idempotencyKey, HttpContext context, StripeGateway stripe, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var settings = stripe.Settings;
        var creator = RequestValues.Wallet(request.CreatorWallet);
        var fan = context.User.WalletOf()!; // authenticated: every token names its wallet
        var creatorGrain = grains.GetGrain<ICreator>(creator);
        _ = await creatorGrain.GetProfileAsync() ?? throw DomainException.NotFound("Creator", creator);
        var pricing = (await creatorGrain.GetPricingAsync()).Current;

        var key = idempotencyKey ?? Guid.NewGuid().ToString("N");
        var membership = grains.GetGrain<IMembership>(FanLoyaltyKey.For(creator, fan));
        var checkout = await membership.StartCardCheckoutAsync(key, new MembershipCheckoutTerms(
            pricing.MembershipPriceMicroAlgo, pricing.MembershipValidity, settings.ToMinorUnits(pricing.MembershipPriceMicroAlgo), settings.Currency));
        if (checkout is not { SessionId: { } sessionId, Url: { } url })
        {
            var metadata = new Dictionary<string, string>
            {
                [MembershipCreatorKey] = creator,
                [MembershipFanKey] = fan,
                [MembershipCheckoutKey] = key,
                ["creator_wallet"] = creator,
            };
            var terms = checkout.Terms;
            Session session;
            try
            {
                session = await new SessionService(stripe.Client).CreateAsync(
                    OneItemSession(
                        settings, "membership", metadata, terms.Currency, terms.AmountMinor, "Bauni membership",
                        $"{terms.Validity.TotalDays:0.##} days of membership of creator {creator[..8]}…", expiresAt: null),
                    // Stripe keys are at most 255 characters; ours may be 200 on their own.
                    new RequestOptions { IdempotencyKey = "membership-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{creator}/{fan}/{key}"))) },
                    cancellationToken);
            }
            catch (StripeException e)
            {
                throw new DomainException(DomainErrorKind.Upstream, PaymentErrors.StripeError, "Stripe did not create the checkout session.",
                    new { status = (int)e.HttpStatusCode, type = e.StripeError?.Type, code = e.StripeError?.Code });
            }

            checkout = await membership.RecordCheckoutSessionAsync(key, session.Id, session.Url);
            (sessionId, url) = (checkout.SessionId!, checkout.Url!);
        }

        return new CheckoutResponse(null, sessionId, url, new MembershipCheckoutTermsResponse(
            creator, fan, MicroAlgo.ToAlgo(checkout.Terms.PriceMicroAlgo), checkout.Terms.PriceMicroAlgo, (int)checkout.Terms.Validity.TotalDays,
            checkout.Terms.AmountMinor, checkout.Terms.Currency));
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

        if (MembershipOf(stripeEvent) is { } membership)
        {
            return TypedResults.Ok(await ApplyMembershipAsync(stripeEvent, membership, grains, logger));
        }

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

    /// <summary>The membership checkout an event's object names in our metadata, or null for anything else (orders).</summary>
    private static (string Creator, string Fan, string Key)? MembershipOf(Event e)
    {
        var metadata = e.Data.Object switch
        {
            Session s => s.Metadata,
            PaymentIntent pi => pi.Metadata,
            Charge c => c.Metadata,
            _ => null,
        };
        return metadata is not null
            && metadata.TryGetValue(MembershipCreatorKey, out var creator)
            && metadata.TryGetValue(MembershipFanKey, out var fan)
            && metadata.TryGetValue(MembershipCheckoutKey, out var key)
            && AlgorandAddress.TryParse(creator, out _, out _) && AlgorandAddress.TryParse(fan, out _, out _)
                ? (creator, fan, key)
                : null;
    }

    /// <summary>
    /// A completed, paid membership session buys the membership once (by its checkout); nothing else about a membership
    /// purchase changes it (an expired session bought nothing, a failed attempt may be retried in the session, and a
    /// refund is the creator's and support's call, logged here).
    /// </summary>
    private static async Task<WebhookReceipt> ApplyMembershipAsync(Event e, (string Creator, string Fan, string Key) checkout, IGrainFactory grains, ILogger logger)
    {
        if (e is not { Type: EventTypes.CheckoutSessionCompleted or EventTypes.CheckoutSessionAsyncPaymentSucceeded, Data.Object: Session { PaymentStatus: "paid" } session })
        {
            var level = e.Type == EventTypes.ChargeRefunded ? LogLevel.Warning : LogLevel.Information;
            logger.Log(level, "Stripe event {EventId} ({Type}) for a membership checkout of {Creator}/{Fan} changes no membership", e.Id, e.Type, checkout.Creator, checkout.Fan);
            return new WebhookReceipt(true, e.Id, "ignored");
        }

        var result = await grains.GetGrain<IMembership>(FanLoyaltyKey.For(checkout.Creator, checkout.Fan)).ApplyCardPurchaseAsync(
            new MembershipCardPayment(e.Id, checkout.Key, session.Id, session.PaymentIntentId, session.AmountTotal ?? 0, session.Currency));
        logger.LogInformation("Stripe event {EventId} ({Type}) for a membership of {Creator}/{Fan}: {Outcome}, expires {ExpiresAt}",
            e.Id, e.Type, checkout.Creator, checkout.Fan, result.Outcome, result.Membership.ExpiresAt);
        return new WebhookReceipt(true, e.Id, OutcomeName(result.Outcome));
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

internal sealed record CheckoutRequest(
    [property: JsonPropertyName("order_id")] long? OrderId,
    [property: JsonPropertyName("membership")] MembershipCheckoutRequest? Membership = null);

internal sealed record MembershipCheckoutRequest([property: JsonPropertyName("creator_wallet")] string? CreatorWallet);

/// <summary>The session; <c>order_id</c> for an order, <c>membership</c> (the terms) for a membership purchase.</summary>
internal sealed record CheckoutResponse(
    [property: JsonPropertyName("order_id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? OrderId,
    [property: JsonPropertyName("session_id")] string SessionId,
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("membership"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] MembershipCheckoutTermsResponse? Membership = null);

internal sealed record MembershipCheckoutTermsResponse(
    [property: JsonPropertyName("creator_wallet")] string CreatorWallet,
    [property: JsonPropertyName("fan_wallet")] string FanWallet,
    [property: JsonPropertyName("price_algo")] decimal PriceAlgo,
    [property: JsonPropertyName("price_micro")] long PriceMicro,
    [property: JsonPropertyName("validity_days")] int ValidityDays,
    [property: JsonPropertyName("amount_minor")] long AmountMinor,
    [property: JsonPropertyName("currency")] string Currency);

internal sealed record WebhookReceipt(
    [property: JsonPropertyName("received")] bool Received,
    [property: JsonPropertyName("event_id")] string EventId,
    [property: JsonPropertyName("outcome")] string Outcome);
