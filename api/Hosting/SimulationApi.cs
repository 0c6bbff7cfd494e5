using System.Text.Json.Serialization;
using FanForge.Grains;
using FanForge.GrainInterfaces.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FanForge.Api.Hosting;

/// <summary>Development-only routes that act on the simulated world; absent unless <c>Api:SimulationEndpoints</c>.</summary>
internal static class SimulationApi
{
    /// <summary>
    /// Makes the co-hosted silo's business clock movable; call before the silo is added. The Orleans runtime, token
    /// lifetimes and rate limits keep the real clock.
    /// </summary>
    public static void AddDevelopmentClock(this IServiceCollection services)
    {
        var clock = new DevelopmentClock(TimeProvider.System);
        services.AddSingleton(clock);
        services.AddSingleton(new BusinessClock(clock));
    }

    public static IEndpointRouteBuilder MapSimulation(this IEndpointRouteBuilder routes)
    {
        var simulate = routes.MapGroup("/simulate").WithTags("Simulation (development only)").AllowAnonymous();
        simulate.MapGet("/clock", (DevelopmentClock clock) => TypedResults.Ok(ClockResponse.Of(clock)))
            .WithSummary("The development clock and how far it was moved ahead");
        simulate.MapPost("/clock/advance", Advance).WithSummary("Moves the development clock forward (memberships expire, tokens age)");
        return routes;
    }

    private static Ok<ClockResponse> Advance(AdvanceRequest request, DevelopmentClock clock)
    {
        var seconds = request.Seconds ?? 0;
        if (seconds is <= 0 or > 3_650L * 24 * 3600)
        {
            throw DomainException.Invalid(ErrorCodes.Validation, "seconds must be between 1 and 315360000 (ten years).");
        }

        clock.Advance(TimeSpan.FromSeconds(seconds));
        return TypedResults.Ok(ClockResponse.Of(clock));
    }
}

internal sealed record AdvanceRequest([property: JsonPropertyName("seconds")] long? Seconds);

internal sealed record ClockResponse(
    [property: JsonPropertyName("now")] DateTimeOffset Now,
    [property: JsonPropertyName("offset_seconds")] double OffsetSeconds)
{
    public static ClockResponse Of(DevelopmentClock clock) => new(clock.GetUtcNow(), clock.Offset.TotalSeconds);
}
