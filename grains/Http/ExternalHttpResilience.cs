using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;

namespace FanForge.Grains.Http;

/// <summary>How hard one call to an outside service (an Algorand node, Transak, Pinata) is tried before it fails.</summary>
public sealed record HttpCallBudget
{
    /// <summary>Orleans abandons a grain call after this long; every outside call made inside one must end sooner.</summary>
    public static readonly TimeSpan GrainCallTimeout = TimeSpan.FromSeconds(30);

    /// <summary>One attempt, reading the body included, so one slow try cannot eat the whole budget.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The call's whole budget, every attempt and back-off included; below <see cref="GrainCallTimeout"/>.</summary>
    public TimeSpan TotalTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Retries after the first attempt (of idempotent requests only).</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>First back-off; doubled per retry and jittered so that callers retrying together spread out.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Cap on one back-off. A Retry-After asking for longer fails at once instead of parking the caller.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Fails fast at start-up rather than on the first call.</summary>
    public void Validate()
    {
        if (AttemptTimeout <= TimeSpan.Zero || TotalTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("Outside-call timeouts must be positive.", nameof(AttemptTimeout));
        }

        if (TotalTimeout >= GrainCallTimeout)
        {
            throw new ArgumentException(
                $"An outside call's budget must end before Orleans' {GrainCallTimeout.TotalSeconds} s grain-call timeout.", nameof(TotalTimeout));
        }

        if (MaxRetries < 0 || InitialBackoff < TimeSpan.Zero || MaxBackoff <= TimeSpan.Zero)
        {
            throw new ArgumentException("MaxRetries and the first backoff must not be negative, the backoff cap must be positive.", nameof(MaxRetries));
        }
    }
}

/// <summary>
/// The one resilience pipeline of our outside HttpClients, outermost first: the call's total budget, retries
/// (exponential, jittered, honouring Retry-After on the registered clock), a circuit breaker, then each attempt's own
/// timeout; each attempt reads its body inside it.
/// </summary>
/// <remarks>
/// Only idempotent requests are retried: GET, HEAD, PUT, DELETE, OPTIONS, and any request marked
/// <see cref="IdempotentKey"/> or sent with an <c>Idempotency-Key</c> header. Another POST is sent once, since a
/// resend after a lost answer could do its work twice. Failures leave as they come (the last answer, an
/// <see cref="HttpRequestException"/>, or Polly's <c>TimeoutRejectedException</c>/<see cref="BrokenCircuitException"/>):
/// each client maps them to its own errors.
/// </remarks>
public static partial class ExternalHttpResilience
{
    /// <summary>Marks a request as safe to resend, whatever its method (the caller says why).</summary>
    public static readonly HttpRequestOptionsKey<bool> IdempotentKey = new("FanForge.Http.Idempotent");

    /// <summary>This call's whole budget, retries included, instead of the client's total (a long poll's, say).</summary>
    public static readonly HttpRequestOptionsKey<TimeSpan> CallBudgetKey = new("FanForge.Http.CallBudget");

    /// <summary>Requests made for one call; the retry counts into it.</summary>
    public static readonly HttpRequestOptionsKey<StrongBox<int>> AttemptsKey = new("FanForge.Http.Attempts");

    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>
    /// Puts the pipeline on <paramref name="client"/>. <paramref name="budget"/> is read once, from the services, when
    /// the client is first used; <paramref name="describeError"/> may read an error body for the retry's log line
    /// (it must redact secrets); without it only the status is logged.
    /// </summary>
    public static IHttpClientBuilder AddExternalResilience(
        this IHttpClientBuilder client,
        string service,
        Func<IServiceProvider, HttpCallBudget> budget,
        Type loggerCategory,
        Func<HttpResponseMessage, CancellationToken, Task<string?>>? describeError = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        // The pipeline owns every timeout (per attempt and per call); HttpClient's own would cut long polls short.
        client.ConfigureHttpClient(http => http.Timeout = Timeout.InfiniteTimeSpan);
        client.AddResilienceHandler(service, (pipeline, context) =>
            Configure(pipeline, context, service, budget(context.ServiceProvider), loggerCategory, describeError));
        client.AddHttpMessageHandler(() => new BufferBodyHandler());
        return client;
    }

    /// <summary>Whether a request may be resent after a failed attempt.</summary>
    public static bool IsIdempotent(HttpRequestMessage? request) =>
        request is not null
        && (request.Method == HttpMethod.Get || request.Method == HttpMethod.Head || request.Method == HttpMethod.Put
            || request.Method == HttpMethod.Delete || request.Method == HttpMethod.Options
            || (request.Options.TryGetValue(IdempotentKey, out var marked) && marked)
            || request.Headers.Contains(IdempotencyKeyHeader));

    /// <summary>The wait a 429 or 503 asks for, from a delta or a date measured on <paramref name="time"/>.</summary>
    public static TimeSpan? RetryAfterOf(HttpResponseMessage response, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(time);
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

    /// <summary>The path of a path and query, for logs: queries may carry identifiers nobody needs in a log.</summary>
    public static string PathOf(string pathAndQuery)
    {
        ArgumentNullException.ThrowIfNull(pathAndQuery);
        var query = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? pathAndQuery : pathAndQuery[..query];
    }

    /// <summary>A failure in a few words: the status (and the service's message), or what went wrong in transport.</summary>
    public static string Describe(HttpStatusCode? status, string? message, TimeSpan? retryAfter, Exception? error) => status is { } s
        ? $"{(int)s} {s}" + (message is null ? "" : $": {message}")
            + (retryAfter is { } wait ? $" (Retry-After {wait.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s)" : "")
        : error switch
        {
            TimeoutException => error.Message,
            Polly.Timeout.TimeoutRejectedException rejected => $"no answer within {rejected.Timeout.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} ms",
            BrokenCircuitException => "circuit open: the service failed too often lately",
            _ => $"transport error: {error?.Message}",
        };

    private static void Configure(
        ResiliencePipelineBuilder<HttpResponseMessage> pipeline,
        ResilienceHandlerContext context,
        string service,
        HttpCallBudget budget,
        Type loggerCategory,
        Func<HttpResponseMessage, CancellationToken, Task<string?>>? describeError)
    {
        budget.Validate();
        var services = context.ServiceProvider;
        var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        var logger = services.GetService<ILoggerFactory>()?.CreateLogger(loggerCategory)
            ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

        // The registered clock, so a Retry-After date, the back-offs and the timeouts all run on the time the
        // rest of the process uses.
        pipeline.TimeProvider = time;

        pipeline.AddTimeout(new HttpTimeoutStrategyOptions
        {
            Name = "Total",
            Timeout = budget.TotalTimeout,
            TimeoutGenerator = args => ValueTask.FromResult(CallBudget(args.Context) ?? budget.TotalTimeout),
        });

        if (budget.MaxRetries > 0)
        {
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = budget.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = budget.InitialBackoff,
                MaxDelay = budget.MaxBackoff,
                // Retry-After, as ShouldRetryAfterHeader would, but with a date measured on the registered clock
                // (the built-in generator reads dates on the system clock); null falls back to the back-off.
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Result is { } answer ? RetryAfterOf(answer, time) : null),
                // A Retry-After beyond the cap fails at once instead of sleeping through the budget: the caller can
                // schedule it.
                ShouldHandle = args => ValueTask.FromResult(
                    IsIdempotent(args.Context.GetRequestMessage())
                    && HttpClientResiliencePredicates.IsTransient(args.Outcome)
                    && !(args.Outcome.Result is { } response && RetryAfterOf(response, time) > budget.MaxBackoff)),
                OnRetry = async args =>
                {
                    var request = args.Context.GetRequestMessage();
                    if (request?.Options.TryGetValue(AttemptsKey, out var attempts) == true)
                    {
                        attempts.Value++;
                    }

                    var reason = args.Outcome.Result is { } response
                        ? Describe(
                            response.StatusCode,
                            describeError is null ? null : await describeError(response, args.Context.CancellationToken).ConfigureAwait(false),
                            RetryAfterOf(response, time),
                            null)
                        : Describe(null, null, null, args.Outcome.Exception);
                    LogRetry(
                        logger,
                        service,
                        request?.Method.Method ?? "?",
                        PathOf(request?.RequestUri?.PathAndQuery ?? "?"),
                        args.AttemptNumber + 1,
                        reason,
                        (long)args.RetryDelay.TotalMilliseconds);
                },
            });
        }

        pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
        {
            // Half the calls failing over at least 10 within 30 s: the service is down, so fail fast for a while
            // rather than let every caller wait out its budget.
            FailureRatio = 0.5,
            MinimumThroughput = 10,
            SamplingDuration = TimeSpan.FromSeconds(30),
            BreakDuration = TimeSpan.FromSeconds(5),
        });

        pipeline.AddTimeout(new HttpTimeoutStrategyOptions
        {
            Name = "Attempt",
            Timeout = budget.AttemptTimeout,
            // A call with a budget of its own (a long poll) may use all of it in its single attempt.
            TimeoutGenerator = args => ValueTask.FromResult(CallBudget(args.Context) ?? budget.AttemptTimeout),
        });
    }

    private static TimeSpan? CallBudget(ResilienceContext context) =>
        context.GetRequestMessage()?.Options.TryGetValue(CallBudgetKey, out var budget) == true ? budget : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Service} {Method} {Path} attempt {Attempt} failed ({Reason}); retrying in {DelayMs} ms")]
    private static partial void LogRetry(ILogger logger, string service, string method, string path, int attempt, string reason, long delayMs);
}

/// <summary>
/// Reads each answer's body inside the attempt, so the attempt timeout bounds a service that sends headers and then
/// stalls, and the retry's log line can quote the service's error message.
/// </summary>
internal sealed class BufferBodyHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        try
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }
}
