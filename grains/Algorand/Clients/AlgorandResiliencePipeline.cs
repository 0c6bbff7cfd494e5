using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;

namespace FanForge.Grains.Algorand.Clients;

/// <summary>
/// The resilience pipeline of the algod and indexer HttpClients, outermost first: the call's total budget, retries
/// (exponential, jittered, honouring Retry-After), a circuit breaker, then each attempt's own timeout.
/// </summary>
/// <remarks>
/// Every chain call runs inside a grain call, which Orleans abandons after 30 s; the total budget ends well before
/// that, so a slow node surfaces as <see cref="AlgorandNodeException"/> in the grain instead of a grain-call timeout
/// at the caller with the node request still running. POSTs are retried too: a submit resent after a lost answer
/// carries identical signed bytes, which algod either accepts once or refuses as "already in ledger".
/// </remarks>
internal static partial class AlgorandResiliencePipeline
{
    public static void Configure(
        ResiliencePipelineBuilder<HttpResponseMessage> pipeline,
        ResilienceHandlerContext context,
        string node,
        AlgorandNodeOptions options,
        Type loggerCategory)
    {
        var services = context.ServiceProvider;
        var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        var logger = services.GetService<ILoggerFactory>()?.CreateLogger(loggerCategory)
            ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

        // The registered clock, so a Retry-After date, the back-offs and the timeouts all run on the time the
        // rest of the client uses.
        pipeline.TimeProvider = time;

        pipeline.AddTimeout(new HttpTimeoutStrategyOptions
        {
            Name = "Total",
            Timeout = options.TotalTimeout,
            TimeoutGenerator = args => ValueTask.FromResult(CallBudget(args.Context) ?? options.TotalTimeout),
        });

        if (options.MaxRetries > 0)
        {
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.InitialBackoff,
                MaxDelay = options.MaxBackoff,
                // Retry-After, as ShouldRetryAfterHeader would, but with a date measured on the registered clock
                // (the built-in generator reads dates on the system clock); null falls back to the back-off.
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Result is { } answer ? NodeHttpSender.RetryAfterOf(answer, time) : null),
                // A Retry-After beyond the cap fails at once, with the wait on the exception, instead of sleeping
                // through the budget: the caller can schedule it.
                ShouldHandle = args => ValueTask.FromResult(
                    HttpClientResiliencePredicates.IsTransient(args.Outcome)
                    && !(args.Outcome.Result is { } response && NodeHttpSender.RetryAfterOf(response, time) > options.MaxBackoff)),
                OnRetry = async args =>
                {
                    var request = args.Context.GetRequestMessage();
                    if (request?.Options.TryGetValue(NodeHttpSender.AttemptsKey, out var attempts) == true)
                    {
                        attempts.Value++;
                    }

                    var reason = args.Outcome.Result is { } response
                        ? NodeHttpSender.Describe(
                            response.StatusCode,
                            await NodeHttpSender.ReadErrorMessageAsync(response, options.ApiToken, args.Context.CancellationToken).ConfigureAwait(false),
                            NodeHttpSender.RetryAfterOf(response, time),
                            null)
                        : NodeHttpSender.Describe(null, null, null, args.Outcome.Exception);
                    LogRetry(
                        logger,
                        node,
                        request?.Method.Method ?? "?",
                        NodeHttpSender.PathOf(request?.RequestUri?.PathAndQuery ?? "?"),
                        args.AttemptNumber + 1,
                        reason,
                        (long)args.RetryDelay.TotalMilliseconds);
                },
            });
        }

        pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
        {
            // Half the calls failing over at least 10 within 30 s: the node is down, so fail fast for a while
            // rather than let every grain wait out its budget.
            FailureRatio = 0.5,
            MinimumThroughput = 10,
            SamplingDuration = TimeSpan.FromSeconds(30),
            BreakDuration = TimeSpan.FromSeconds(5),
        });

        pipeline.AddTimeout(new HttpTimeoutStrategyOptions
        {
            Name = "Attempt",
            Timeout = options.Timeout,
            // A long poll's single attempt may use its whole budget: the node holds it open on purpose.
            TimeoutGenerator = args => ValueTask.FromResult(CallBudget(args.Context) ?? options.Timeout),
        });
    }

    private static TimeSpan? CallBudget(ResilienceContext context) =>
        context.GetRequestMessage()?.Options.TryGetValue(NodeHttpSender.CallBudgetKey, out var budget) == true ? budget : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Node} {Method} {Path} attempt {Attempt} failed ({Reason}); retrying in {DelayMs} ms")]
    private static partial void LogRetry(ILogger logger, string node, string method, string path, int attempt, string reason, long delayMs);
}

/// <summary>
/// Reads each answer's body inside the attempt, so the attempt timeout bounds a node that sends headers and then
/// stalls, and the retry's log line can quote the node's error message.
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
