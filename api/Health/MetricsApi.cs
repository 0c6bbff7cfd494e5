using FanForge.Silo;
using OpenTelemetry.Trace;

namespace FanForge.Api.Health;

/// <summary>
/// The API's telemetry: the shared metrics and tracing (<see cref="TelemetryHostingExtensions"/>) plus, when traces
/// are exported, a server span per HTTP request, scrapes and probes left out. <c>GET /metrics</c> serves this
/// process's meters in the Prometheus text format.
/// </summary>
internal static class MetricsApi
{
    public const string Route = TelemetryHostingExtensions.MetricsRoute;

    public static MetricsSettings AddFanForgeApiTelemetry(this WebApplicationBuilder builder) =>
        builder.AddFanForgeTelemetry("fanforge-api", tracing => tracing.AddAspNetCoreInstrumentation(o => o.Filter = Traced));

    public static IEndpointConventionBuilder MapMetrics(this IEndpointRouteBuilder routes) => routes.MapFanForgeMetrics();

    /// <summary>Prometheus scrapes and health probes come every few seconds and say nothing about a request's story.</summary>
    private static bool Traced(HttpContext context) =>
        !context.Request.Path.StartsWithSegments(Route) && !context.Request.Path.StartsWithSegments("/health");
}
