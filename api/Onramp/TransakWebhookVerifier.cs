using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FanForge.Grains.Onramp;
using FanForge.GrainInterfaces.Errors;
using FanForge.GrainInterfaces.Onramp;
using Microsoft.Extensions.Options;

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

/// <summary>
/// Verifies Transak's webhook body <c>{"data":"&lt;JWT&gt;"}</c>: the JWT must say <c>alg: HS256</c> (nothing else,
/// <c>none</c> included, is accepted) and carry an HMAC-SHA256 over <c>header.payload</c> keyed with the UTF-8 bytes
/// of a Partner Access Token, compared in fixed time. Returns the claims.
/// </summary>
internal sealed class TransakWebhookVerifier(IOptions<TransakSettings> options, IGrainFactory grains)
{
    /// <summary>The JWT's claims; 400 for a malformed body or token, 401 <c>invalid_signature</c>, 403 when disabled.</summary>
    public async Task<JsonElement> VerifyAsync(ReadOnlyMemory<byte> body)
    {
        var settings = options.Value;
        if (!settings.WebhooksEnabled)
        {
            throw DomainException.Forbidden(OnrampErrors.WebhooksDisabled, "Webhooks disabled in simulation mode.");
        }

        // Transak signs with whichever token is current at Transak: one configured by hand, or the one this cluster
        // refreshed last. A refresh revokes the token before it, yet a webhook signed just before may still be in
        // flight, so the token grain also offers the previous one for a short grace. It is asked on every webhook
        // (they are few) rather than cached here, so a token refreshed a moment ago already verifies.
        IReadOnlyList<string> keys = settings.SessionApiEnabled
            ? [.. settings.ConfiguredAccessTokens, .. await grains.GetGrain<ITransakAccessToken>(settings.ApiKey!).GetWebhookKeysAsync()]
            : settings.ConfiguredAccessTokens;
        return Verify(body.Span, keys);
    }

    /// <summary>The claims of a body signed with one of <paramref name="keys"/>; 400 malformed, 401 <c>invalid_signature</c>.</summary>
    public static JsonElement Verify(ReadOnlySpan<byte> body, IReadOnlyList<string> keys)
    {
        string? token;
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            token = document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.String
                    ? data.GetString()
                    : null;
        }
        catch (JsonException)
        {
            throw DomainException.Invalid(ErrorCodes.MalformedJson, "Invalid JSON payload.");
        }

        var parts = token?.Split('.') ?? [];
        if (parts.Length != 3)
        {
            throw DomainException.Invalid(ErrorCodes.Validation, "The webhook body must be {\"data\":\"<JWT>\"}.");
        }

        var header = Json(parts[0], "header");
        if (header.ValueKind != JsonValueKind.Object
            || !header.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String || alg.GetString() != "HS256")
        {
            throw Unsigned("The webhook token must be signed with HS256.");
        }

        var signature = Bytes(parts[2], "signature");
        var signed = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        if (!keys.Any(key => key.Length > 0 && CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), signed), signature)))
        {
            throw Unsigned("The webhook token's signature does not match the partner access token.");
        }

        var claims = Json(parts[1], "payload");
        return claims.ValueKind == JsonValueKind.Object
            ? claims
            : throw DomainException.Invalid(ErrorCodes.Validation, "The webhook token's payload is not a JSON object.");
    }

    private static DomainException Unsigned(string message) => new(DomainErrorKind.Unauthenticated, OnrampErrors.InvalidSignature, message);

    private static JsonElement Json(string segment, string what)
    {
        try
        {
            return JsonDocument.Parse(Bytes(segment, what)).RootElement.Clone();
        }
        catch (JsonException)
        {
            throw DomainException.Invalid(ErrorCodes.Validation, $"The webhook token's {what} is not JSON.");
        }
    }

    private static byte[] Bytes(string segment, string what)
    {
        try
        {
            return Base64UrlDecode(segment);
        }
        catch (FormatException)
        {
            throw DomainException.Invalid(ErrorCodes.Validation, $"The webhook token's {what} is not base64url.");
        }
    }

    private static byte[] Base64UrlDecode(string segment) =>
        System.Buffers.Text.Base64Url.DecodeFromChars(segment);
}
