using System.ComponentModel.DataAnnotations;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FanForge.Grains.Onramp;

/// <summary>
/// Section <c>Transak</c>: the fiat on-ramp. Without <see cref="ApiKey"/> the on-ramp runs in simulation mode (the
/// config says so, <c>apiKey</c> is null, no widget URL). With <see cref="ApiSecret"/> too, widget URLs come from
/// Transak's session API under the cluster's one refreshed access token. The secret and the access tokens are never
/// logged nor echoed in a validation message.
/// </summary>
public sealed class TransakSettings
{
    public const string SectionName = "Transak";

    /// <summary>The partner API key (public: the widget carries it); none: simulation mode.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The partner API secret, sent to <c>refresh-token</c> for the access token; a secret.</summary>
    public string? ApiSecret { get; set; }

    /// <summary>
    /// A Partner Access Token obtained outside this cluster, accepted as a webhook key besides the one the cluster
    /// refreshes; a secret.
    /// </summary>
    public string? AccessToken { get; set; }

    /// <summary>The configured token before its last rotation, still accepted for webhooks signed before it; a secret.</summary>
    public string? PreviousAccessToken { get; set; }

    /// <summary>The domain the widget is embedded on; Transak's session API requires it.</summary>
    public string? ReferrerDomain { get; set; }

    /// <summary>Where the widget sends the fan when the order is done (Transak appends the order's fields); optional.</summary>
    public Uri? RedirectUrl { get; set; }

    [Required, RegularExpression("^(STAGING|PRODUCTION)$", ErrorMessage = "Transak:Environment must be STAGING or PRODUCTION.")]
    public string Environment { get; set; } = "STAGING";

    /// <summary>Transak's partner API (refresh-token, orders); none: the one of <see cref="Environment"/>.</summary>
    public Uri? ApiBase { get; set; }

    /// <summary>Transak's API gateway (widget sessions); none: the one of <see cref="Environment"/>.</summary>
    public Uri? GatewayBase { get; set; }

    [Range(0.0, 50.0)]
    public double PlatformFeePercent { get; set; } = 2.0;

    [Required, MinLength(1)]
    public string[] SupportedFiat { get; set; } = ["INR"];

    [Required, MinLength(1)]
    public string[] SupportedCrypto { get; set; } = ["ALGO"];

    [Required, MinLength(1)]
    public string[] SupportedPaymentMethods { get; set; } = ["upi"];

    /// <summary>Fiat units per ALGO shown by the config in simulation mode (the prototype's figure).</summary>
    [Range(0.000001, 1_000_000.0)]
    public double MockConversionRate { get; set; } = 8.47;

    /// <summary>The largest fiat amount one order may ask for.</summary>
    [Range(1, 100_000_000)]
    public decimal MaxFiatAmount { get; set; } = 100_000m;

    public bool SimulationMode => string.IsNullOrEmpty(ApiKey);

    /// <summary>Widget URLs come from the session API, and orders can be re-fetched.</summary>
    public bool SessionApiEnabled => !SimulationMode && !string.IsNullOrEmpty(ApiSecret);

    /// <summary>Some key can verify a webhook: a configured token or the one the cluster refreshes.</summary>
    public bool WebhooksEnabled => !string.IsNullOrEmpty(AccessToken) || SessionApiEnabled;

    public Uri PartnerApi => ApiBase ?? new(IsProduction ? "https://api.transak.com" : "https://api-stg.transak.com");

    public Uri Gateway => GatewayBase ?? new(IsProduction ? "https://api-gateway.transak.com" : "https://api-gateway-stg.transak.com");

    /// <summary>The configured webhook keys; the cluster's refreshed ones come from its access-token grain.</summary>
    public IReadOnlyList<string> ConfiguredAccessTokens => [.. new[] { AccessToken, PreviousAccessToken }.OfType<string>().Where(t => t.Length > 0)];

    private bool IsProduction => Environment == "PRODUCTION";
}

/// <summary>
/// Transak's rules across fields: a session API needs the widget's referrer domain; production needs the secret
/// whenever the API key is set (widget URLs come only from the session API); a configured access token must be long
/// enough to key HS256 (IdentityModel refuses HMAC keys under 32 bytes, and real tokens are long JWTs). The messages
/// name keys only, never a value.
/// </summary>
public sealed class TransakSettingsRules(IHostEnvironment environment) : IValidateOptions<TransakSettings>
{
    /// <summary>IdentityModel's shortest HS256 key.</summary>
    public const int MinimumAccessTokenBytes = 32;

    public ValidateOptionsResult Validate(string? name, TransakSettings options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var messages = new List<string>();
        if (!string.IsNullOrEmpty(options.ApiSecret) && string.IsNullOrWhiteSpace(options.ReferrerDomain))
        {
            messages.Add("Transak:ReferrerDomain is required with Transak:ApiSecret (Transak's session API refuses a widget without it).");
        }

        if (environment.IsProduction() && !options.SimulationMode && string.IsNullOrEmpty(options.ApiSecret))
        {
            messages.Add("Transak:ApiSecret is required in production when Transak:ApiKey is set (widget URLs come only from Transak's session API).");
        }

        foreach (var (key, token) in new[] { ("AccessToken", options.AccessToken), ("PreviousAccessToken", options.PreviousAccessToken) })
        {
            if (!string.IsNullOrEmpty(token) && Encoding.UTF8.GetByteCount(token) < MinimumAccessTokenBytes)
            {
                messages.Add($"Transak:{key} must be at least {MinimumAccessTokenBytes} bytes (a Partner Access Token is a long JWT).");
            }
        }

        return messages.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(messages);
    }
}
