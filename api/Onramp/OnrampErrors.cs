using FanForge.Grains.Onramp;

namespace FanForge.Api.Onramp;

/// <summary>Error codes of the on-ramp routes.</summary>
internal static class OnrampErrors
{
    /// <summary>The webhook JWT's algorithm is not HS256 or its signature does not match an access token.</summary>
    public const string InvalidSignature = "invalid_signature";

    /// <summary>No access token is configured: webhooks are off (simulation mode).</summary>
    public const string WebhooksDisabled = "onramp_webhooks_disabled";

    /// <summary>The fiat currency is not one the on-ramp supports.</summary>
    public const string UnsupportedCurrency = "unsupported_currency";

    /// <summary>Transak failed or is unreachable (502); a retry with the same idempotency key returns the same order.</summary>
    public const string Unavailable = TransakPartnerClient.UnavailableCode;
}
