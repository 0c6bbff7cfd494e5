using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Stripe;

namespace FanForge.Api.Payments;

/// <summary>
/// Section <c>Stripe</c>: card payments. Without <see cref="SecretKey"/> the payment routes answer 503
/// <c>stripe_disabled</c>. The keys are secrets: never logged, never echoed in a validation message.
/// </summary>
public sealed class StripeSettings
{
    public const string SectionName = "Stripe";

    /// <summary>The API secret key (<c>sk_…</c>); none: card payments are off.</summary>
    public string? SecretKey { get; set; }

    /// <summary>The webhook endpoint's signing secret (<c>whsec_…</c>); none: the webhook answers 503.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>Where the Stripe API is; tests point it at an in-process fake.</summary>
    [Required]
    public Uri ApiBase { get; set; } = new(StripeClient.DefaultApiBase);

    /// <summary>ISO currency, lower case, charged for every order.</summary>
    [Required, RegularExpression("^[a-z]{3}$", ErrorMessage = "Stripe:Currency must be a lower-case ISO code such as usd.")]
    public string Currency { get; set; } = "usd";

    /// <summary>The price of one ALGO in the currency's minor units (20 = $0.20 per ALGO).</summary>
    [Range(1, 100_000_000)]
    public long MinorUnitsPerAlgo { get; set; } = 20;

    /// <summary>Where Checkout sends the fan after paying; Stripe fills in <c>{CHECKOUT_SESSION_ID}</c>.</summary>
    [Required]
    public string SuccessUrl { get; set; } = "http://localhost:5173/orders?checkout=success&session_id={CHECKOUT_SESSION_ID}";

    [Required]
    public string CancelUrl { get; set; } = "http://localhost:5173/orders?checkout=cancelled";

    /// <summary>Stripe.net's own retries of one call (they reuse the call's idempotency key).</summary>
    [Range(0, 5)]
    public int MaxNetworkRetries { get; set; } = 2;

    public bool Enabled => !string.IsNullOrEmpty(SecretKey);

    /// <summary>
    /// The order total in minor units: micro-ALGO × <see cref="MinorUnitsPerAlgo"/> / 10⁶, rounded up to the next
    /// minor unit (the fan never pays less than the ALGO price), in integers throughout.
    /// </summary>
    public long ToMinorUnits(long microAlgo)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(microAlgo);
        var scaled = (Int128)microAlgo * MinorUnitsPerAlgo;
        return checked((long)((scaled + 999_999) / 1_000_000));
    }
}

/// <summary>Production confirms card payments only by the webhook: a secret key needs the webhook's secret.</summary>
public sealed class StripeSettingsRules(IHostEnvironment environment) : IValidateOptions<StripeSettings>
{
    public ValidateOptionsResult Validate(string? name, StripeSettings options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return environment.IsProduction() && options.Enabled && string.IsNullOrEmpty(options.WebhookSecret)
            ? ValidateOptionsResult.Fail("Stripe:WebhookSecret is required in production when Stripe:SecretKey is set (card payments are confirmed only by the webhook).")
            : ValidateOptionsResult.Success;
    }
}
