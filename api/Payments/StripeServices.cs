using FanForge.GrainInterfaces.Errors;
using Microsoft.Extensions.Options;
using Stripe;

namespace FanForge.Api.Payments;

/// <summary>Error codes of the payment routes.</summary>
internal static class PaymentErrors
{
    /// <summary>No Stripe secret key (or, for the webhook, no signing secret) is configured.</summary>
    public const string StripeDisabled = "stripe_disabled";

    /// <summary>The webhook's <c>Stripe-Signature</c> is missing, wrong or outside the tolerance.</summary>
    public const string InvalidSignature = "invalid_signature";

    /// <summary>Stripe refused or failed the request.</summary>
    public const string StripeError = "stripe_error";

    public static DomainException Disabled(string what) =>
        new(DomainErrorKind.Unavailable, StripeDisabled, $"Card payments are not configured ({what}).");
}

/// <summary>The configured Stripe client, built on first use so a host without keys never constructs one.</summary>
internal sealed class StripeGateway(IOptions<StripeSettings> options, IHttpClientFactory httpClients)
{
    public const string HttpClientName = "stripe";

    private readonly Lazy<IStripeClient> client = new(() => new StripeClient(new StripeClientOptions
    {
        ApiKey = options.Value.SecretKey,
        ApiBase = options.Value.ApiBase.ToString().TrimEnd('/'),
        HttpClient = new SystemNetHttpClient(httpClients.CreateClient(HttpClientName), options.Value.MaxNetworkRetries, appInfo: null, enableTelemetry: false),
    }));

    public StripeSettings Settings => options.Value;

    /// <summary>The client; 503 <c>stripe_disabled</c> without a secret key.</summary>
    public IStripeClient Client => Settings.Enabled ? client.Value : throw PaymentErrors.Disabled("Stripe:SecretKey");
}

/// <summary>
/// Verifies a webhook on its raw body against <c>Stripe:WebhookSecret</c> with a 300 s tolerance on the injected
/// clock (Stripe.net's check is symmetric: too old or too far ahead both fail).
/// </summary>
internal sealed class StripeWebhookVerifier(IOptions<StripeSettings> options, TimeProvider time)
{
    public const long ToleranceSeconds = EventUtility.DefaultTimeTolerance;

    /// <summary>The event, or 401 <c>invalid_signature</c>; 503 <c>stripe_disabled</c> when not configured.</summary>
    public Event Verify(string json, string? signatureHeader)
    {
        var settings = options.Value;
        if (!settings.Enabled || string.IsNullOrEmpty(settings.WebhookSecret))
        {
            throw PaymentErrors.Disabled("Stripe:SecretKey and Stripe:WebhookSecret");
        }

        try
        {
            EventUtility.ValidateSignature(json, signatureHeader ?? "", settings.WebhookSecret, ToleranceSeconds, time.GetUtcNow().ToUnixTimeSeconds());
        }
        catch (StripeException e)
        {
            // 401 as every other bad signature (login, Transak webhooks): one code, one status.
            throw new DomainException(DomainErrorKind.Unauthenticated, PaymentErrors.InvalidSignature, "The Stripe-Signature header does not match the body: " + e.Message);
        }

        try
        {
            // Stable fields only are read, so an endpoint on another API version is accepted.
            return EventUtility.ParseEvent(json, throwOnApiVersionMismatch: false);
        }
        catch (Exception e) when (e is StripeException or Newtonsoft.Json.JsonException)
        {
            throw DomainException.Invalid(ErrorCodes.MalformedJson, "The signed body is not a Stripe event.");
        }
    }
}
