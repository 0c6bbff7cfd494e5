using System.ComponentModel.DataAnnotations;
using FanForge.Grains;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace FanForge.Silo;

/// <summary>
/// Section <c>Metrics</c>. The scrape endpoint is anonymous, as Prometheus scrapes it; in production let only the
/// cluster network reach it (an internal port, a NetworkPolicy or the ingress refusing <c>/metrics</c>).
/// </summary>
public sealed class MetricsSettings
{
    public const string SectionName = "Metrics";

    /// <summary>Serves <c>GET /metrics</c> (Prometheus text format).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The headless silo's HTTP port, which serves only <c>/metrics</c> (9464, the port registered for Prometheus
    /// exporters). An API process serves <c>/metrics</c> on its own port and ignores this.
    /// </summary>
    [Range(1, 65535)]
    public int SiloPort { get; set; } = 9464;
}

/// <summary>
/// Metrics and traces for every process, API or silo, from one place. Metrics: our meters, Orleans', and the ones .NET
/// and ASP.NET Core publish themselves, scraped as Prometheus text from <c>/metrics</c>. Traces: only when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the OpenTelemetry exporter reads it and the other standard <c>OTEL_*</c>
/// variables, e.g. <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>); without it no tracer is registered and Orleans propagates no
/// trace context, so tracing costs nothing.
/// </summary>
public static class TelemetryHostingExtensions
{
    public const string MetricsRoute = "/metrics";

    /// <summary>Turns tracing on, and says where the OTLP exporter sends spans.</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// Meters are per process: grain meters show on silos (a co-hosted API is one), so a pure-client API node serves
    /// only its HTTP, runtime and Orleans-client ones.
    /// </summary>
    public static readonly string[] Meters =
        ["FanForge.*", "Microsoft.Orleans", "System.Runtime", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel"];

    /// <summary>Our payment spans and Orleans' grain-call spans (application grains and the runtime's own).</summary>
    public static readonly string[] TraceSources = [PaymentTracing.SourceName, "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"];

    public static bool TracingEnabled(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration[OtlpEndpointKey]);

    /// <summary>
    /// Registers the metrics (unless <c>Metrics:Enabled=false</c>) and, with an OTLP endpoint, the tracing of this
    /// process; <paramref name="serviceName"/> is <c>service.name</c> unless <c>OTEL_SERVICE_NAME</c> says otherwise.
    /// <paramref name="tracing"/> adds what only this kind of process has (the API's HTTP server spans).
    /// </summary>
    public static MetricsSettings AddFanForgeTelemetry(this IHostApplicationBuilder builder, string serviceName, Action<TracerProviderBuilder>? tracing = null)
    {
        var metrics = ValidatedOptions.ReadValidated<MetricsSettings>(builder.Configuration, MetricsSettings.SectionName);
        builder.Services.AddValidatedOptions<MetricsSettings>(MetricsSettings.SectionName);
        var traced = TracingEnabled(builder.Configuration);
        if (!metrics.Enabled && !traced)
        {
            return metrics;
        }

        var configuration = builder.Configuration;
        var telemetry = builder.Services.AddOpenTelemetry().ConfigureResource(resource =>
        {
            if (string.IsNullOrWhiteSpace(configuration["OTEL_SERVICE_NAME"]))
            {
                resource.AddService(serviceName);
            }
        });
        if (metrics.Enabled)
        {
            telemetry.WithMetrics(meters => meters.AddMeter(Meters).AddPrometheusExporter());
        }

        if (traced)
        {
            telemetry.WithTracing(traces =>
            {
                traces.AddSource(TraceSources).AddHttpClientInstrumentation().AddNpgsql();
                tracing?.Invoke(traces);
                // Endpoint, protocol (grpc or http/protobuf), headers, batch delays: the standard OTEL_* settings.
                traces.AddOtlpExporter();
            });
        }

        return metrics;
    }

    /// <summary><c>GET /metrics</c>: this process's meters in the Prometheus text format.</summary>
    public static IEndpointConventionBuilder MapFanForgeMetrics(this IEndpointRouteBuilder routes) =>
        routes.MapPrometheusScrapingEndpoint(MetricsRoute)
            .WithMetadata(new HttpMethodMetadata([HttpMethods.Get]))
            .AllowAnonymous();

    /// <summary>
    /// The headless silo's small HTTP side: Kestrel on <c>Metrics:SiloPort</c> (validated at start), every address,
    /// with its telemetry. Listening is explicit, so <c>ASPNETCORE_URLS</c> (which the image sets for the API) is ignored.
    /// </summary>
    public static MetricsSettings AddFanForgeSiloHttp(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<KestrelServerOptions>()
            .Configure<IOptions<MetricsSettings>>((kestrel, metrics) => kestrel.ListenAnyIP(metrics.Value.SiloPort));
        return builder.AddFanForgeTelemetry("fanforge-silo");
    }
}
