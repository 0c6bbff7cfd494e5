using System.Text.Json.Serialization;
using FanForge.GrainInterfaces.Chain;
using FanForge.Silo;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FanForge.Api.Health;

internal static class HealthApi
{
    public const string ReadyTag = "ready";

    public static RouteGroupBuilder MapHealth(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/health").WithTags("Health").AllowAnonymous();

        group.MapGet("", GetHealthAsync).WithSummary("Overall health in the prototype's shape");
        group.MapGet("/live", GetLive).WithSummary("Liveness: the process serves requests (no cluster or database call)");
        group.MapGet("/ready", GetReadyAsync).WithSummary("Readiness: the cluster (every active silo) and PostgreSQL answer");

        return group;
    }

    private static async Task<Results<Ok<HealthResponse>, JsonHttpResult<HealthResponse>>> GetHealthAsync(
        HealthCheckService health, ClusterSettings cluster, IGrainFactory grains, TimeProvider time, CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(c => c.Tags.Contains(ReadyTag), cancellationToken);
        var healthy = report.Status == HealthStatus.Healthy;
        var silos = report.Entries.TryGetValue("cluster", out var entry) && entry.Data.TryGetValue("activeSilos", out var count) ? (int)count : 0;
        var chain = healthy ? await grains.GetGrain<IChainFollower>(IChainFollower.Key).GetStatusAsync() : null;
        // A halted follower credits nothing: the platform answers, degraded, until an operator resumes it.
        var status = !healthy ? "unhealthy" : chain?.HaltReason is null ? "healthy" : "degraded";
        var body = new HealthResponse(
            status, chain?.NodeReachable ?? false, chain?.CurrentRound is > 0 ? chain.CurrentRound : null, time.GetUtcNow(),
            cluster.Provider.ToString().ToLowerInvariant(), silos);
        return healthy ? TypedResults.Ok(body) : TypedResults.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private static Ok<LiveResponse> GetLive(TimeProvider time) => TypedResults.Ok(new LiveResponse("live", time.GetUtcNow()));

    private static async Task<Results<Ok<ReadyResponse>, JsonHttpResult<ReadyResponse>>> GetReadyAsync(
        HealthCheckService health, CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(c => c.Tags.Contains(ReadyTag), cancellationToken);
        var checks = report.Entries.ToDictionary(
            e => e.Key,
            e => new ReadyCheck(e.Value.Status.ToString().ToLowerInvariant(), e.Value.Description, e.Value.Data.Count > 0 ? e.Value.Data : null));
        var ready = report.Status == HealthStatus.Healthy;
        var body = new ReadyResponse(ready ? "ready" : "not_ready", checks);
        return ready ? TypedResults.Ok(body) : TypedResults.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}

internal sealed record HealthResponse(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("algorand_connected")] bool AlgorandConnected,
    [property: JsonPropertyName("last_round")] ulong? LastRound,
    [property: JsonPropertyName("timestamp")] DateTimeOffset Timestamp,
    [property: JsonPropertyName("cluster_provider")] string ClusterProvider,
    [property: JsonPropertyName("active_silos")] int ActiveSilos);

internal sealed record LiveResponse(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("timestamp")] DateTimeOffset Timestamp);

internal sealed record ReadyResponse(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("checks")] IReadOnlyDictionary<string, ReadyCheck> Checks);

internal sealed record ReadyCheck(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("data")] IReadOnlyDictionary<string, object>? Data);
