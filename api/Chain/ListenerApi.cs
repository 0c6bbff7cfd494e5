using System.Text.Json.Serialization;
using FanForge.Api.Audit;
using FanForge.Api.Auth;
using FanForge.Api.Responses;
using FanForge.GrainInterfaces.Audit;
using FanForge.GrainInterfaces.Chain;
using FanForge.GrainInterfaces.Loyalty;
using FanForge.GrainInterfaces.Nfts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FanForge.Api.Chain;

internal static class ListenerApi
{
    public static IEndpointRouteBuilder MapListener(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/listener/status", GetStatusAsync).AllowAnonymous().WithTags("Transactions")
            .WithSummary("The chain follower: cursor, lag, counters and halts, with the cluster's mint failures and parked payments (prototype shape plus)");
        routes.MapPost("/listener/resume", ResumeAsync).RequireAuthorization(Policies.Admin).Audited(AuditKinds.ListenerResumed).WithTags("Transactions")
            .WithSummary("Admin: end a halt (chain reset or regression) and follow the chain the node now serves from from_round");
        return routes;
    }

    /// <summary>
    /// An operator's decision after a halt: following restarts at <c>from_round</c>. Journals and owners ignore what they
    /// already applied, so starting early credits nothing twice; starting late skips rounds, which is why a person decides.
    /// </summary>
    private static async Task<Ok<ListenerStatusResponse>> ResumeAsync(
        ResumeRequest request, [FromHeader(Name = RequestValues.IdempotencyHeader)] string? idempotencyKey, HttpContext context,
        IGrainFactory grains, TimeProvider time, AuditRecorder audit)
    {
        var from = RequestValues.PositiveId(request.FromRound, "from_round");
        var key = RequestValues.IdempotencyKey(idempotencyKey);
        var follower = grains.GetGrain<IChainFollower>(IChainFollower.Key);
        var before = await follower.GetStatusAsync();
        await follower.ResumeAsync((ulong)from);
        // Each resume is an operator's decision of its own, recorded even when it moved nothing (the round asked for is
        // the point); a retry is the same decision only under the same key.
        var changes = AuditChanges.Diff(
            new { next_round = before.LastProcessedRound + 1, halt_reason = before.HaltReason },
            new { next_round = (ulong)from, halt_reason = (string?)null });
        changes["from_round"] = new System.Text.Json.Nodes.JsonObject { ["after"] = from };
        await audit.RecordAsync(context, new AuditChange(
            AuditKinds.ListenerResumed, $"listener:resume:{(key is null ? "request:" + Hosting.RequestIds.Of(context) : "key:" + key)}", "listener", null, changes));
        return await GetStatusAsync(grains, time);
    }

    private static async Task<Ok<ListenerStatusResponse>> GetStatusAsync(IGrainFactory grains, TimeProvider time)
    {
        var statusTask = grains.GetGrain<IChainFollower>(IChainFollower.Key).GetStatusAsync();
        var mintsTask = grains.GetGrain<IMintHealth>(IMintHealth.Key).GetAsync();
        var parkedTask = grains.GetGrain<IPaymentHealth>(IPaymentHealth.Key).GetAsync();
        var (status, mints, parked) = (await statusTask, await mintsTask, await parkedTask);
        var lag = status.CurrentRound > status.LastProcessedRound ? status.CurrentRound - status.LastProcessedRound : 0;
        var heartbeatAge = status.LastPollAt is { } at ? Math.Round((time.GetUtcNow() - at).TotalSeconds, 1) : (double?)null;
        return TypedResults.Ok(new ListenerStatusResponse(
            status.Running, status.LastProcessedRound, status.ErrorsCount, status.PollInterval.TotalSeconds, RetryEnabled: true, mints.MaxRetryAttempts,
            new ListenerMetrics(status.PaymentsCredited, mints.FailedAttempts, mints.RetriesSucceeded, mints.StillFailing, status.ErrorsCount,
                status.LastProcessedRound, status.CurrentRound, lag, status.PaymentsPerMinute, heartbeatAge,
                status.HaltReason is not null, status.HaltReason, status.ChainRequests, status.RoundsRead, status.RefusedForeignProgram,
                parked.Sum(p => p.Consumers), [.. parked])));
    }
}

internal sealed record ResumeRequest([property: JsonPropertyName("from_round")] long? FromRound);

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
    [property: JsonPropertyName("heartbeat_age_seconds")] double? HeartbeatAgeSeconds,
    [property: JsonPropertyName("halted")] bool Halted,
    [property: JsonPropertyName("halt_reason")] string? HaltReason,
    [property: JsonPropertyName("chain_requests")] long ChainRequests,
    [property: JsonPropertyName("rounds_read")] long RoundsRead,
    [property: JsonPropertyName("foreign_program_payments")] long ForeignProgramPayments,
    [property: JsonPropertyName("parked_consumers")] int ParkedConsumers,
    [property: JsonPropertyName("parked")] IReadOnlyList<CreatorParked> Parked);
