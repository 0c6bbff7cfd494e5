using System.Text;
using System.Text.Json;
using FanForge.Grains.Onramp;
using FanForge.GrainInterfaces.Errors;
using FanForge.GrainInterfaces.Onramp;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FanForge.Api.Onramp;

/// <summary>
/// Verifies Transak's webhook body <c>{"data":"&lt;JWT&gt;"}</c> with IdentityModel's <see cref="JsonWebTokenHandler"/>:
/// the token must be signed with HS256 (nothing else, <c>none</c> included, is accepted), keyed with the UTF-8 bytes
/// of a Partner Access Token. Returns the claims.
/// </summary>
internal sealed class TransakWebhookVerifier(IOptions<TransakSettings> options, IGrainFactory grains)
{
    private static readonly JsonWebTokenHandler Handler = new();

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
        return await VerifyAsync(body, keys);
    }

    /// <summary>The claims of a body signed with one of <paramref name="keys"/>; 400 malformed, 401 <c>invalid_signature</c>.</summary>
    public static async Task<JsonElement> VerifyAsync(ReadOnlyMemory<byte> body, IReadOnlyList<string> keys)
    {
        var token = ReadToken(body);
        var result = await Handler.ValidateTokenAsync(token, Parameters(keys));
        if (!result.IsValid)
        {
            // Wrong algorithm, no signature, or no key matches: all the same to the sender, and nothing is applied.
            throw new DomainException(
                DomainErrorKind.Unauthenticated, OnrampErrors.InvalidSignature, "The webhook token must be HS256-signed with the partner access token.");
        }

        return Claims(token);
    }

    /// <summary>
    /// HS256 and nothing else, with any of the keys. Transak's tokens name no issuer or audience, and they are
    /// checked by signature only: a replayed webhook changes nothing, since each status applies once and only forward.
    /// </summary>
    private static TokenValidationParameters Parameters(IReadOnlyList<string> keys) => new()
    {
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        RequireSignedTokens = true,
        IssuerSigningKeys = [.. keys.Where(k => k.Length > 0).Select(k => new SymmetricSecurityKey(Encoding.UTF8.GetBytes(k)))],
        TryAllIssuerSigningKeys = true,
        ValidateIssuerSigningKey = false,
        ValidateIssuer = false,
        ValidateAudience = false,
        ValidateLifetime = false,
        RequireExpirationTime = false,
    };

    /// <summary>The token of <c>{"data":"&lt;JWT&gt;"}</c> once it parses as a signed JWT; 400 otherwise.</summary>
    private static JsonWebToken ReadToken(ReadOnlyMemory<byte> body)
    {
        string? data;
        try
        {
            using var document = JsonDocument.Parse(body);
            data = document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("data", out var value) && value.ValueKind == JsonValueKind.String
                    ? value.GetString()
                    : null;
        }
        catch (JsonException)
        {
            throw DomainException.Invalid(ErrorCodes.MalformedJson, "Invalid JSON payload.");
        }

        // Three segments: a signed token (an encrypted one has five, and Transak sends none).
        if (data?.Split('.').Length != 3)
        {
            throw DomainException.Invalid(ErrorCodes.Validation, "The webhook body must be {\"data\":\"<JWT>\"}.");
        }

        try
        {
            return Handler.ReadJsonWebToken(data);
        }
        catch (ArgumentException)
        {
            // The handler's malformed-token exceptions are argument exceptions: a segment is not base64url JSON.
            throw DomainException.Invalid(ErrorCodes.Validation, "The webhook token is not a JWT (base64url JSON header and payload).");
        }
    }

    private static JsonElement Claims(JsonWebToken token)
    {
        using var payload = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(token.EncodedPayload));
        return payload.RootElement.ValueKind == JsonValueKind.Object
            ? payload.RootElement.Clone()
            : throw DomainException.Invalid(ErrorCodes.Validation, "The webhook token's payload is not a JSON object.");
    }
}
