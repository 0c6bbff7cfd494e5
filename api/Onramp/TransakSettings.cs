using System.ComponentModel.DataAnnotations;

namespace FanForge.Api.Onramp;

/// <summary>
/// Section <c>Transak</c>: the fiat on-ramp. Without <see cref="ApiKey"/> the on-ramp runs in simulation mode (the
/// config says so, <c>apiKey</c> is null); without <see cref="AccessToken"/> the webhook answers 403. The secret,
/// the access tokens are never logged nor echoed in a validation message.
/// </summary>
public sealed class TransakSettings
{
    public const string SectionName = "Transak";

    /// <summary>The partner API key (public: the widget carries it); none: simulation mode.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The partner API secret (for <c>refresh-token</c>); a secret.</summary>
    public string? ApiSecret { get; set; }

    /// <summary>The current Partner Access Token: the HS256 key of every webhook JWT; a secret.</summary>
    public string? AccessToken { get; set; }

    /// <summary>The token before the last refresh, still accepted for webhooks signed before the rotation; a secret.</summary>
    public string? PreviousAccessToken { get; set; }

    [Required, RegularExpression("^(STAGING|PRODUCTION)$", ErrorMessage = "Transak:Environment must be STAGING or PRODUCTION.")]
    public string Environment { get; set; } = "STAGING";

    /// <summary>Transak's partner API (unused until the session API is wired; see the README).</summary>
    [Required]
    public Uri ApiBase { get; set; } = new("https://api-stg.transak.com");

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

    public bool WebhooksEnabled => !string.IsNullOrEmpty(AccessToken);
}
