using FanForge.Api.Audit;
using FanForge.Api.Auth;
using FanForge.Api.Chain;
using FanForge.Api.Creators;
using FanForge.Api.Errors;
using FanForge.Api.Health;
using FanForge.Api.Hosting;
using FanForge.Api.Ipfs;
using FanForge.Api.Live;
using FanForge.Api.Loyalty;
using FanForge.Api.Merch;
using FanForge.Api.Memberships;
using FanForge.Api.Nfts;
using FanForge.Api.Notifications;
using FanForge.Api.Onramp;
using FanForge.Api.OpenApi;
using FanForge.Api.Payments;
using FanForge.Api.Payouts;
using FanForge.Api.Shawty;
using FanForge.Silo;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Npgsql;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);
builder.AddFanForgeLogging();

// Cluster: co-host a silo (default) or join silos that run elsewhere as a pure client.
var apiSettings = ApiSettings.Load(builder.Configuration, builder.Environment);
builder.Services.AddValidatedOptions<ApiSettings, ApiSettingsRules>(ApiSettings.SectionName);
// A movable clock for the simulated world, shared by the co-hosted silo; a pure client cannot move the silos' clocks.
var developmentClock = apiSettings.SimulationEndpoints && apiSettings.Hosting == ApiHosting.CoHosted;
if (developmentClock)
{
    builder.Services.AddDevelopmentClock();
}

var cluster = apiSettings.Hosting == ApiHosting.Client ? builder.AddFanForgeClusterClient() : builder.AddFanForgeSilo();

// The frontend's default base URL, unless the operator chose one.
if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
{
    builder.WebHost.UseUrls(apiSettings.DefaultUrl);
}

// Behind an ingress: the client's address and scheme from the proxies listed in ForwardedHeaders (none: ignored).
builder.Services.AddFanForgeForwardedHeaders();

// CORS for the configured frontend origins; a wildcard is refused in production.
builder.Services.AddValidatedOptions<CorsSettings, CorsSettingsRules>(CorsSettings.SectionName);
builder.Services.AddCors();
builder.Services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>()
    .Configure<IOptions<CorsSettings>>((cors, settings) => cors.AddDefaultPolicy(policy => policy
        .WithOrigins(settings.Value.AllowedOrigins)
        .WithHeaders("Authorization", "Content-Type", "X-Idempotency-Key")
        .WithExposedHeaders("Retry-After", RequestIds.Header)
        .AllowAnyMethod()
        .AllowCredentials()));

// Errors: every failure leaves as {success:false,error:{code,message,details}}; binding failures throw so they are mapped too.
builder.Services.AddSingleton<IProblemDetailsWriter, ErrorEnvelopeProblemDetailsWriter>();
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<ErrorEnvelopeExceptionHandler>();
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);

// Health: liveness is local; readiness asks the cluster and, in PostgreSQL mode, the database.
var healthChecks = builder.Services.AddHealthChecks().AddCheck<ClusterHealthCheck>("cluster", tags: [HealthApi.ReadyTag]);
if (cluster.Provider == ClusterProvider.Postgres)
{
    healthChecks.AddCheck<PostgresHealthCheck>("postgres", tags: [HealthApi.ReadyTag]);
}

// Identity: wallet-signature login, access tokens bound to revocable sessions, policies per route, rate limits.
builder.AddFanForgeIdentity();

// Card payments (Stripe): off (503 stripe_disabled) until Stripe:SecretKey is set.
builder.Services.AddStripePayments();

// Fiat on-ramp (Transak): simulation mode until Transak:ApiKey is set; widget URLs and webhooks need Transak:ApiSecret.
builder.Services.AddTransakOnramp();

// Sticker artwork on IPFS: Pinata in production (503 ipfs_disabled until Ipfs:PinataJwt is set), a local store in development.
builder.Services.AddIpfs();

// Audit trail: admin actions and creator configuration changes, recorded by the routes that make them.
builder.Services.AddSingleton<AuditRecorder>();

builder.Services.AddLiveFeed();
builder.Services.AddFanForgeOpenApi();

// Metrics: our meters (FanForge.*), Orleans', HTTP and runtime ones, scraped by Prometheus from GET /metrics.
// Traces: exported over OTLP only when OTEL_EXPORTER_OTLP_ENDPOINT is set.
var metrics = builder.AddFanForgeApiTelemetry();

var app = builder.Build();

// The client's address first (rate limits and logs key on it), then CORS so that even error responses carry the
// headers the browser needs to read them.
app.UseFanForgeForwardedHeaders();
app.UseRequestIds();
app.UseCors();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseWellFormedRouteValues();
app.UseAuthentication();
app.UseRateLimiter();
app.UseAuthorization();
app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });

// The route table: every endpoint states its policy or is explicitly anonymous (the authorization matrix test checks).
// Only the one document we publish: a {documentName} route would answer any other name with a bare text 404.
app.MapOpenApi("/openapi/v1.json").AllowAnonymous();
app.MapScalarApiReference("/docs", o => o.WithTitle("FanForge API")).AllowAnonymous();
app.MapHealth();
app.MapFanForgeDashboard();
if (metrics.Enabled)
{
    app.MapMetrics();
}

app.MapAuth();
app.MapCreators();
app.MapContracts();
app.MapCreatorPricing();
app.MapPayouts();
app.MapTemplates();
app.MapLoyalty();
app.MapLiveFeed();
app.MapSubmit();
app.MapListener();
app.MapFanNfts();
app.MapNfts();
app.MapPlatformMints();
app.MapIpfs();
app.MapBauni();
app.MapShawty();
app.MapProducts();
app.MapPricing();
app.MapOrders();
app.MapPayments();
app.MapOnramp();
app.MapAudit();
app.MapNotifications();
if (developmentClock)
{
    app.MapSimulation();
}

app.Lifetime.ApplicationStarted.Register(() =>
{
    var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
    foreach (var address in addresses)
    {
        app.Logger.LogInformation("FanForge API listening on {Address}; API docs at {Address}/docs", address, address);
    }

    if (cluster.Provider == ClusterProvider.Development)
    {
        app.Logger.LogWarning("Development mode: grain state and reminders are in memory and are lost when this process stops.");
    }
    else
    {
        var database = new NpgsqlConnectionStringBuilder(cluster.ConnectionString).Database;
        app.Logger.LogInformation("PostgreSQL mode: cluster {ClusterId} on database {Database}", cluster.ClusterId, database);
    }
});

try
{
    app.Run();
}
catch (OperationCanceledException) when (app.Lifetime.ApplicationStopping.IsCancellationRequested)
{
    // Stopped (SIGTERM) while still starting: a clean exit, not a crash.
}

// WebApplicationFactory<Program> in the tests needs a public type to find this entry point.
public partial class Program;
