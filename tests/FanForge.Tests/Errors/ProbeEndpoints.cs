using FanForge.GrainInterfaces.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace FanForge.Tests.Errors;

/// <summary>
/// Endpoints that exist only in this test host, appended behind the real pipeline, to drive each failure kind
/// through the API's real error handling (exception handler, status code pages, CORS).
/// </summary>
internal sealed class ProbeEndpoints : IStartupFilter
{
    public const string InternalSecret = "connection string Password=hunter2 at Npgsql.Internal";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        next(app);
        app.UseRouting();
        app.UseEndpoints(endpoints =>
        {
            var probe = endpoints.MapGroup("/probe");
            probe.MapPost("/echo", (EchoRequest request) => TypedResults.Ok(request));
            probe.MapGet("/page", (int limit) => TypedResults.Ok(limit));
            probe.MapGet("/conflict", () =>
            {
                throw DomainException.Conflict("token_locked", "Token 42 is locked by order 7.", new { assetId = 42, orderId = 7 });
            });
            probe.MapGet("/missing", () =>
            {
                throw DomainException.NotFound("Product", "99");
            });
            probe.MapGet("/grain-fault/{kind}", (string kind, IGrainFactory grains) =>
                grains.GetGrain<IFaultProbe>(Guid.NewGuid().ToString("N")).FailAsync(kind));
            probe.MapGet("/silo-lost", () =>
            {
                throw new Orleans.Runtime.Messaging.ConnectionFailedException("Unable to connect to endpoint S127.0.0.1:30000");
            });
            probe.MapGet("/crash", () =>
            {
                throw new InvalidOperationException(InternalSecret);
            });
        });
    };

    internal sealed record EchoRequest(string Name, int Count);
}

public sealed class ProbeApiFactory : Infrastructure.FanForgeApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(s => s.AddSingleton<IStartupFilter, ProbeEndpoints>());
    }
}
