using System.Text.Json.Serialization;
using FanForge.GrainInterfaces.Chain;
using FanForge.GrainInterfaces.Nfts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FanForge.Api.Chain;

internal static class ListenerApi
{
    public static IEndpointRouteBuilder MapListener(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/listener/status", GetStatusAsync).AllowAnonymous().WithTags("Transactions")
            .WithSummary("The chain watcher: cursor, lag and counters, with the cluster's mint failures and retries (prototype shape)");
        return routes;
    }

    private static async Task<Ok<ListenerStatusResponse>> GetStatusAsync(IGrainFactory grains, TimeProvider time)
    {
        var statusTask = grains.GetGrain<IChainWatcher>(IChainWatcher.Key).GetStatusAsync();
        var mintsTask = grains.GetGrain<IMintHealth>(IMintHealth.Key).GetAsync();
        var (status, mints) = (await statusTask, await mintsTask);
        var lag = status.CurrentRound > status.LastProcessedRound ? status.CurrentRound - status.LastProcessedRound : 0;
        var heartbeatAge = status.LastPollAt is { } at ? Math.Round((time.GetUtcNow() - at).TotalSeconds, 1) : (double?)null;
        return TypedResults.Ok(new ListenerStatusResponse(
            status.Running, status.LastProcessedRound, status.ErrorsCount, status.PollInterval.TotalSeconds, RetryEnabled: true, mints.MaxRetryAttempts,
            new ListenerMetrics(status.TipsProcessedTotal, mints.FailedAttempts, mints.RetriesSucceeded, mints.StillFailing, status.ErrorsCount,
                status.LastProcessedRound, status.CurrentRound, lag, status.TipsPerMinute, heartbeatAge)));
    }
}

internal sealed record ListenerStatusResponse(
    bool Running, ulong LastProcessedRound, long ErrorsCount, double PollIntervalSeconds, bool RetryEnabled, int MaxRetryAttempts,
    ListenerMetrics Metrics);

internal sealed record ListenerMetrics(
    [property: JsonPropertyName("tips_processed_total")] long TipsProcessedTotal,
    [property: JsonPropertyName("failed_mints_count")] long FailedMintsCount,
    [property: JsonPropertyName("retry_success_count")] long RetrySuccessCount,
    [property: JsonPropertyName("retry_fail_count")] long RetryFailCount,
    [property: JsonPropertyName("indexer_query_errors")] long IndexerQueryErrors,
    [property: JsonPropertyName("last_processed_round")] ulong LastProcessedRound,
    [property: JsonPropertyName("current_round")] ulong CurrentRound,
    [property: JsonPropertyName("listener_lag_rounds")] ulong ListenerLagRounds,
    [property: JsonPropertyName("tips_per_minute")] double TipsPerMinute,
    [property: JsonPropertyName("heartbeat_age_seconds")] double? HeartbeatAgeSeconds);
