using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using FanForge.GrainInterfaces.Errors;
using FanForge.Grains.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FanForge.Grains.Onramp;

/// <summary>The access token Transak issued and when it stops working.</summary>
public sealed record TransakAccessToken(string Token, DateTimeOffset ExpiresAt);

/// <summary>The widget's parameters, sent inside the session request (query parameters on the widget URL are deprecated).</summary>
public sealed record TransakWidgetParams(
    string ApiKey,
    string ReferrerDomain,
    string PartnerOrderId,
    string PartnerCustomerId,
    string WalletAddress,
    string FiatCurrency,
    decimal FiatAmount,
    string CryptoCurrencyCode,
    string Network,
    string ProductsAvailed,
    bool DisableWalletAddressForm,
    [property: JsonPropertyName("redirectURL")] string? RedirectUrl);

/// <summary>Transak answered 401 to an access token: another refresh with the same API key has revoked it.</summary>
public sealed class TransakAccessTokenRejectedException() : Exception("Transak rejected the partner access token.");

/// <summary>
/// Transak's partner API over the HTTP client factory: the access-token refresh, widget sessions and the order API,
/// behind the outside-call pipeline (<see cref="Budget"/>; only the order read is retried, the POSTs are sent once).
/// Every failure (network, timeout, an open circuit, a non-2xx answer, a reply without the expected fields) is a 502
/// <see cref="UnavailableCode"/>, except a refused access token (<see cref="TransakAccessTokenRejectedException"/>),
/// which the caller can cure by refreshing. Logs carry the call and the status only: never a header, token or body.
/// </summary>
public sealed class TransakPartnerClient(IHttpClientFactory httpClients, IOptions<TransakSettings> options, ILogger<TransakPartnerClient> logger)
{
    public const string HttpClientName = "transak";

    /// <summary>The error code of every Transak failure the fan sees.</summary>
    public const string UnavailableCode = "onramp_unavailable";

    /// <summary>The partner API is not configured on this silo (503); not <see cref="UnavailableCode"/>, which is 502.</summary>
    public const string DisabledCode = "onramp_disabled";

    /// <summary>
    /// 10 s per attempt, 20 s per call: well inside Orleans' 30 s call timeout, so a refresh inside the token grain
    /// fails as ours, not as a grain timeout. A refresh or a session is not retried (each issues something new and
    /// revokes or spends what came before); a GET of an order is, up to twice, waiting out a short Retry-After.
    /// </summary>
    public static readonly HttpCallBudget Budget = new()
    {
        AttemptTimeout = TimeSpan.FromSeconds(10),
        TotalTimeout = TimeSpan.FromSeconds(20),
        MaxRetries = 2,
        InitialBackoff = TimeSpan.FromMilliseconds(200),
        MaxBackoff = TimeSpan.FromSeconds(5),
    };

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static DomainException Unavailable(string message) => new(DomainErrorKind.Upstream, UnavailableCode, message);

    /// <summary>A new access token for <paramref name="apiKey"/>; Transak revokes the previous one.</summary>
    public async Task<TransakAccessToken> RefreshAccessTokenAsync(string apiKey, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (string.IsNullOrEmpty(settings.ApiSecret))
        {
            throw new DomainException(DomainErrorKind.Unavailable, DisabledCode, "Transak:ApiSecret is not configured.");
        }

        using var request = Request(HttpMethod.Post, settings.PartnerApi, "partners/api/v2/refresh-token", new { apiKey });
        request.Headers.Add("api-secret", settings.ApiSecret);
        var data = await SendAsync(request, "refresh-token", cancellationToken);
        return Text(data, "accessToken") is { Length: > 0 } token
            && data.TryGetProperty("expiresAt", out var expiresAt) && expiresAt.TryGetInt64(out var seconds)
                ? new(token, DateTimeOffset.FromUnixTimeSeconds(seconds))
                : throw Malformed("refresh-token");
    }

    /// <summary>A single-use widget URL (valid for 5 minutes) for one user flow.</summary>
    public async Task<string> CreateWidgetUrlAsync(string accessToken, TransakWidgetParams widgetParams, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Post, options.Value.Gateway, "api/v2/auth/session", new { widgetParams });
        request.Headers.Add("access-token", accessToken);
        var data = await SendAsync(request, "auth/session", cancellationToken);
        return Text(data, "widgetUrl") is { Length: > 0 } url ? url : throw Malformed("auth/session");
    }

    /// <summary>The order as Transak has it now: the <c>data</c> object, with the fields a webhook's <c>webhookData</c> has.</summary>
    public async Task<JsonElement> GetOrderAsync(string accessToken, string transakOrderId, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Get, options.Value.PartnerApi, "partners/api/v2/order/" + Uri.EscapeDataString(transakOrderId), body: null);
        request.Headers.Add("access-token", accessToken);
        return await SendAsync(request, "order", cancellationToken);
    }

    private static HttpRequestMessage Request(HttpMethod method, Uri root, string path, object? body) =>
        new(method, new Uri(root.ToString().TrimEnd('/') + "/" + path))
        {
            Content = body is null ? null : JsonContent.Create(body, options: Json),
        };

    private async Task<JsonElement> SendAsync(HttpRequestMessage request, string call, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
            if (response.StatusCode == HttpStatusCode.Unauthorized && request.Headers.Contains("access-token"))
            {
                logger.LogWarning("Transak {Call} refused the access token (HTTP 401)", call);
                throw new TransakAccessTokenRejectedException();
            }

            if (!response.IsSuccessStatusCode)
            {
                logger.LogWarning("Transak {Call} failed with HTTP {Status}", call, (int)response.StatusCode);
                throw Unavailable($"Transak is unavailable ({call}: HTTP {(int)response.StatusCode}). Try again shortly.");
            }

            using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
                    ? data.Clone()
                    : throw Malformed(call);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or Polly.ExecutionRejectedException
            || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            logger.LogWarning("Transak {Call} failed: {Failure}", call, e.GetType().Name);
            throw Unavailable($"Transak is unavailable ({call}). Try again shortly.");
        }
    }

    private DomainException Malformed(string call)
    {
        logger.LogWarning("Transak {Call} answered without the expected data", call);
        return Unavailable($"Transak gave an unexpected answer ({call}).");
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
