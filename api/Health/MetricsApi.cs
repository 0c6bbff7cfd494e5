using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace FanForge.Api.Health;

/// <summary>
/// Section <c>Metrics</c>. The scrape endpoint is anonymous, as Prometheus scrapes it; in production let only the
/// cluster network reach it (an internal port, a NetworkPolicy or the ingress refusing <c>/metrics</c>).
/// </summary>
public sealed class MetricsSettings
{
    public const string SectionName = "Metrics";

    /// <summary>Serves <c>GET /metrics</c> (Prometheus text format).</summary>
    public bool Enabled { get; set; } = true;
}

/// <summary><c>GET /metrics</c>: this process's meters in the Prometheus text format, through OpenTelemetry.</summary>
internal static class MetricsApi
{
    public const string Route = "/metrics";

    /// <summary>
    /// Ours, Orleans', and the ones .NET and ASP.NET Core publish themselves (no instrumentation packages needed).
    /// Meters are per process: grain meters show on silos, so a pure-client API node serves only its HTTP and runtime ones.
    /// </summary>
    private static readonly string[] Meters =
        ["FanForge.*", "Microsoft.Orleans", "System.Runtime", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel"];

    public static IServiceCollection AddFanForgeMetrics(this IServiceCollection services)
    {
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("fanforge"))
            .WithMetrics(metrics => metrics.AddMeter(Meters).AddPrometheusExporter());
        return services;
    }

    public static IEndpointConventionBuilder MapMetrics(this IEndpointRouteBuilder routes) =>
        routes.MapPrometheusScrapingEndpoint(Route)
            .WithMetadata(new HttpMethodMetadata([HttpMethods.Get]))
            .AllowAnonymous();
}
