using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using FanForge.Grains.Http;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace FanForge.Grains.Algorand.Clients;

/// <summary>One request to a node.</summary>
internal sealed record NodeRequest(HttpMethod Method, string PathAndQuery)
{
    public Func<HttpContent>? Content { get; init; }

    public bool NotFoundIsNull { get; init; }

    /// <summary>
    /// This call's whole budget, retries included, instead of the options' total; set for long polls, which the node
    /// holds open on purpose.
    /// </summary>
    public TimeSpan? Timeout { get; init; }
}

/// <summary>
/// The single place that talks HTTP to algod and the indexer: adds the token header, reads the answer and turns every
/// failure into <see cref="AlgorandNodeException"/>. Retries, timeouts and the circuit breaker are the HttpClient's
/// resilience pipeline (<see cref="ExternalHttpResilience"/>); this class only tells it the per-call budget and
/// learns from it how many attempts were made.
/// </summary>
/// <remarks>
/// Every node request may be resent, POSTs included: a submit resent after a lost answer carries identical signed
/// bytes, which algod either accepts once or refuses as "already in ledger", and compiling TEAL changes nothing.
/// </remarks>
internal sealed class NodeHttpSender
{
    private readonly string node;
    private readonly HttpClient http;
    private readonly AlgorandNodeOptions options;
    private readonly string baseUrl;
    private readonly string tokenHeader;
    private readonly TimeProvider time;

    public NodeHttpSender(string node, HttpClient http, AlgorandNodeOptions options, string defaultTokenHeader, TimeProvider? time)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        this.node = node;
        this.http = http;
        this.options = options;
        baseUrl = options.BaseUrl.AbsoluteUri.TrimEnd('/');
        tokenHeader = string.IsNullOrWhiteSpace(options.TokenHeader) ? defaultTokenHeader : options.TokenHeader;
        this.time = time ?? TimeProvider.System;
    }

    public async Task<T?> SendAsync<T>(NodeRequest request, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        where T : class
    {
        var attempts = new StrongBox<int>(1);
        using var message = BuildMessage(request, attempts);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException ex)
        {
            throw Fail(request, attempts.Value, null, null, null, new TimeoutException(
                $"No answer within {ex.Timeout.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} ms.", ex));
        }
        catch (BrokenCircuitException ex)
        {
            throw Fail(request, attempts.Value, null, null, null, ex);
        }
        catch (HttpRequestException ex)
        {
            throw Fail(request, attempts.Value, null, null, null, ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Only HttpClient's own Timeout can cancel without the caller asking; it is infinite unless set by hand.
            throw Fail(request, attempts.Value, null, null, null, new TimeoutException("The HttpClient timed out.", ex));
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                return await ReadAsync(request, response, typeInfo, attempts.Value, cancellationToken).ConfigureAwait(false);
            }

            if (response.StatusCode == HttpStatusCode.NotFound && request.NotFoundIsNull)
            {
                return null;
            }

            var nodeMessage = await ReadErrorMessageAsync(response, options.ApiToken, cancellationToken).ConfigureAwait(false);
            throw Fail(request, attempts.Value, response.StatusCode, nodeMessage, RetryAfterOf(response, time), null);
        }
    }

    /// <summary>The wait a 429 or 503 asks for, from a delta or a date measured on <paramref name="time"/>.</summary>
    internal static TimeSpan? RetryAfterOf(HttpResponseMessage response, TimeProvider time) => ExternalHttpResilience.RetryAfterOf(response, time);

    /// <summary>The node's <c>{"message": …}</c>, or the head of a non-JSON body, with the token blanked out.</summary>
    internal static async Task<string?> ReadErrorMessageAsync(HttpResponseMessage response, string apiToken, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (text.Length == 0)
        {
            return null;
        }

        try
        {
            return Redact(JsonSerializer.Deserialize(text, AlgorandWireJson.Default.NodeErrorWire)?.Message ?? text, apiToken);
        }
        catch (JsonException)
        {
            // Proxies and load balancers answer 502/503 with HTML; keep a short head of it for the log.
            return Redact(text.Length > 200 ? text[..200] : text, apiToken);
        }
    }

    internal static string PathOf(string pathAndQuery) => ExternalHttpResilience.PathOf(pathAndQuery);

    internal static string Describe(HttpStatusCode? status, string? nodeMessage, TimeSpan? retryAfter, Exception? error) =>
        ExternalHttpResilience.Describe(status, nodeMessage, retryAfter, error);

    private static string Redact(string text, string apiToken) =>
        apiToken.Length == 0 ? text : text.Replace(apiToken, "***", StringComparison.Ordinal);

    private HttpRequestMessage BuildMessage(NodeRequest request, StrongBox<int> attempts)
    {
        var message = new HttpRequestMessage(request.Method, baseUrl + request.PathAndQuery);
        if (options.ApiToken.Length > 0)
        {
            message.Headers.TryAddWithoutValidation(tokenHeader, options.ApiToken);
        }

        message.Headers.Accept.ParseAdd("application/json");
        message.Content = request.Content?.Invoke();
        message.Options.Set(ExternalHttpResilience.AttemptsKey, attempts);
        message.Options.Set(ExternalHttpResilience.IdempotentKey, true);
        if (request.Timeout is { } budget)
        {
            message.Options.Set(ExternalHttpResilience.CallBudgetKey, budget);
        }

        return message;
    }

    private async Task<T> ReadAsync<T>(NodeRequest request, HttpResponseMessage response, JsonTypeInfo<T> typeInfo, int attempts, CancellationToken cancellationToken)
    {
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                return await JsonSerializer.DeserializeAsync(stream, typeInfo, cancellationToken).ConfigureAwait(false)
                    ?? throw new JsonException("The body was JSON null.");
            }
        }
        catch (JsonException ex)
        {
            // A 200 we cannot read will read the same way next time: not retried.
            throw new AlgorandNodeException(response.StatusCode, $"{node} {request.Method} {PathOf(request.PathAndQuery)} returned an unreadable body: {ex.Message}", null, ex)
            {
                Attempts = attempts,
            };
        }
    }

    private AlgorandNodeException Fail(NodeRequest request, int attempts, HttpStatusCode? status, string? nodeMessage, TimeSpan? retryAfter, Exception? error)
    {
        var tries = attempts == 1 ? "" : $" after {attempts} attempts";
        return new AlgorandNodeException(
            status,
            $"{node} {request.Method} {PathOf(request.PathAndQuery)} failed{tries}: {Describe(status, nodeMessage, retryAfter, error)}",
            nodeMessage,
            error)
        {
            Attempts = attempts,
            RetryAfter = retryAfter,
        };
    }
}
