using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FanForge.GrainInterfaces.Errors;
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
}

/// <summary>
/// Verifies Transak's webhook body <c>{"data":"&lt;JWT&gt;"}</c>: the JWT must say <c>alg: HS256</c> (nothing else,
/// <c>none</c> included, is accepted) and carry an HMAC-SHA256 over <c>header.payload</c> keyed with the UTF-8 bytes
/// of the current (or previous) Partner Access Token, compared in fixed time. Returns the claims.
/// </summary>
internal sealed class TransakWebhookVerifier(IOptions<TransakSettings> options)
{
    /// <summary>The JWT's claims; 400 for a malformed body or token, 401 <c>invalid_signature</c>, 403 when disabled.</summary>
    public JsonElement Verify(ReadOnlySpan<byte> body)
    {
        var settings = options.Value;
        if (!settings.WebhooksEnabled)
        {
            throw DomainException.Forbidden(OnrampErrors.WebhooksDisabled, "Webhooks disabled in simulation mode.");
        }

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
        var keys = new[] { settings.AccessToken, settings.PreviousAccessToken }.Where(k => !string.IsNullOrEmpty(k));
        if (!keys.Any(key => CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key!), signed), signature)))
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
