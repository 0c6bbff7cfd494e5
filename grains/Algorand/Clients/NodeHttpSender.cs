using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;

namespace FanForge.Grains.Algorand.Clients;

/// <summary>One request to a node: a fresh message is built per attempt because a sent message cannot be resent.</summary>
internal sealed record NodeRequest(HttpMethod Method, string PathAndQuery)
{
    public Func<HttpContent>? Content { get; init; }

    public bool NotFoundIsNull { get; init; }

    public TimeSpan? Timeout { get; init; }
}

/// <summary>
/// The single place that talks HTTP to algod and the indexer: adds the token header, bounds each attempt, retries
/// what is worth retrying and turns everything else into <see cref="AlgorandNodeException"/>.
/// </summary>
/// <remarks>
/// Retried: 5xx, 429 (after its Retry-After), transport errors and timeouts. Never retried: any other 4xx, since
/// the same request would get the same answer. POSTs are retried too: a submit resent after a lost answer carries
/// identical signed bytes, which algod either accepts once or refuses as "already in ledger".
/// </remarks>
internal sealed partial class NodeHttpSender
{
    private readonly string node;
    private readonly HttpClient http;
    private readonly AlgorandNodeOptions options;
    private readonly string baseUrl;
    private readonly string tokenHeader;
    private readonly TimeProvider time;
    private readonly ILogger logger;

    public NodeHttpSender(string node, HttpClient http, AlgorandNodeOptions options, string defaultTokenHeader, TimeProvider? time, ILogger? logger)
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
        this.logger = logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
    }

    public async Task<T?> SendAsync<T>(NodeRequest request, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        where T : class
    {
        var attemptTimeout = request.Timeout ?? options.Timeout;
        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Failure failure;
            using (var attemptTimer = new CancellationTokenSource(attemptTimeout, time))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, attemptTimer.Token))
            {
                try
                {
                    using var message = BuildMessage(request);
                    using var response = await http.SendAsync(message, HttpCompletionOption.ResponseContentRead, linked.Token).ConfigureAwait(false);
                    if (response.IsSuccessStatusCode)
                    {
                        return await ReadAsync(request, response, typeInfo, attempt, linked.Token).ConfigureAwait(false);
                    }

                    if (response.StatusCode == HttpStatusCode.NotFound && request.NotFoundIsNull)
                    {
                        return null;
                    }

                    var nodeMessage = await ReadErrorMessageAsync(response, linked.Token).ConfigureAwait(false);
                    failure = new Failure(response.StatusCode, nodeMessage, RetryAfterOf(response), null);
                    if (!IsRetryable(response.StatusCode))
                    {
                        throw failure.ToException(this, request, attempt);
                    }
                }
                catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    // Our per-attempt timer or HttpClient's own Timeout: either way the node did not answer in time.
                    failure = new Failure(null, null, null, new TimeoutException(
                        $"No answer within {attemptTimeout.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} ms.", ex));
                }
                catch (HttpRequestException ex)
                {
                    failure = new Failure(null, null, null, ex);
                }
            }

            if (attempt > options.MaxRetries)
            {
                throw failure.ToException(this, request, attempt);
            }

            var delay = Backoff(attempt);
            if (failure.RetryAfter is { } retryAfter)
            {
                if (retryAfter > options.MaxBackoff)
                {
                    throw failure.ToException(this, request, attempt);
                }

                delay = retryAfter;
            }

            LogRetry(logger, node, request.Method.Method, PathOf(request), attempt, failure.Describe(), (long)delay.TotalMilliseconds);
            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool IsRetryable(HttpStatusCode status) =>
        status == HttpStatusCode.TooManyRequests || (int)status >= 500;

    private HttpRequestMessage BuildMessage(NodeRequest request)
    {
        var message = new HttpRequestMessage(request.Method, baseUrl + request.PathAndQuery);
        if (options.ApiToken.Length > 0)
        {
            message.Headers.TryAddWithoutValidation(tokenHeader, options.ApiToken);
        }

        message.Headers.Accept.ParseAdd("application/json");
        message.Content = request.Content?.Invoke();
        return message;
    }

    private async Task<T> ReadAsync<T>(NodeRequest request, HttpResponseMessage response, JsonTypeInfo<T> typeInfo, int attempt, CancellationToken cancellationToken)
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
            throw new AlgorandNodeException(response.StatusCode, $"{node} {request.Method} {PathOf(request)} returned an unreadable body: {ex.Message}", null, ex)
            {
                Attempts = attempt,
            };
        }
    }

    private async Task<string?> ReadErrorMessageAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (text.Length == 0)
        {
            return null;
        }

        try
        {
            return Redact(JsonSerializer.Deserialize(text, AlgorandWireJson.Default.NodeErrorWire)?.Message ?? text);
        }
        catch (JsonException)
        {
            // Proxies and load balancers answer 502/503 with HTML; keep a short head of it for the log.
            return Redact(text.Length > 200 ? text[..200] : text);
        }
    }

    private TimeSpan? RetryAfterOf(HttpResponseMessage response)
    {
        if (response.StatusCode != HttpStatusCode.TooManyRequests && response.StatusCode != HttpStatusCode.ServiceUnavailable)
        {
            return null;
        }

        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    private TimeSpan Backoff(int attempt)
    {
        var exponential = options.InitialBackoff.TotalMilliseconds * Math.Pow(2, attempt - 1);
        var capped = Math.Min(exponential, options.MaxBackoff.TotalMilliseconds);
        // Half fixed, half random: keeps a floor under the wait while spreading silos that failed together.
        return TimeSpan.FromMilliseconds(capped / 2 + (Random.Shared.NextDouble() * capped / 2));
    }

    private string Redact(string text) =>
        options.ApiToken.Length == 0 ? text : text.Replace(options.ApiToken, "***", StringComparison.Ordinal);

    private static string PathOf(NodeRequest request)
    {
        var query = request.PathAndQuery.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? request.PathAndQuery : request.PathAndQuery[..query];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Node} {Method} {Path} attempt {Attempt} failed ({Reason}); retrying in {DelayMs} ms")]
    private static partial void LogRetry(ILogger logger, string node, string method, string path, int attempt, string reason, long delayMs);

    private sealed record Failure(HttpStatusCode? Status, string? NodeMessage, TimeSpan? RetryAfter, Exception? Error)
    {
        public string Describe() => Status is { } status
            ? $"{(int)status} {status}" + (NodeMessage is null ? "" : $": {NodeMessage}")
                + (RetryAfter is { } wait ? $" (Retry-After {wait.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s)" : "")
            : Error is TimeoutException ? Error.Message : $"transport error: {Error?.Message}";

        public AlgorandNodeException ToException(NodeHttpSender sender, NodeRequest request, int attempts)
        {
            var tries = attempts == 1 ? "" : $" after {attempts} attempts";
            return new AlgorandNodeException(
                Status,
                $"{sender.node} {request.Method} {PathOf(request)} failed{tries}: {Describe()}",
                NodeMessage,
                Error)
            {
                Attempts = attempts,
                RetryAfter = RetryAfter,
            };
        }
    }
}
