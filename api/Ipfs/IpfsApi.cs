using FanForge.Api.Hosting;
using FanForge.Grains.Http;
using FanForge.Silo;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace FanForge.Api.Ipfs;

internal static class IpfsApi
{
    public static IServiceCollection AddIpfs(this IServiceCollection services)
    {
        services.AddValidatedOptions<IpfsSettings, IpfsSettingsRules>(IpfsSettings.SectionName);
        services.AddHttpClient(PinataPinning.HttpClientName)
            .RedactLoggedHeaders(_ => true)
            .AddExternalResilience("pinata", sp => PinataPinning.BudgetFor(sp.GetRequiredService<IOptions<IpfsSettings>>().Value), typeof(PinataPinning));
        services.AddSingleton<LocalIpfsStore>();
        services.AddSingleton<IIpfsPinning>(sp => sp.GetRequiredService<IOptions<IpfsSettings>>().Value.Provider == IpfsProvider.Local
            ? sp.GetRequiredService<LocalIpfsStore>()
            : ActivatorUtilities.CreateInstance<PinataPinning>(sp, sp.GetRequiredService<IHttpClientFactory>().CreateClient(PinataPinning.HttpClientName)));
        services.AddSingleton(sp =>
        {
            var settings = sp.GetRequiredService<IOptions<IpfsSettings>>().Value;
            var api = sp.GetRequiredService<IOptions<ApiSettings>>().Value;
            return new IpfsGateway(settings.GatewayUrl ?? (settings.Provider == IpfsProvider.Local ? $"{api.DefaultUrl}/ipfs" : "https://gateway.pinata.cloud/ipfs"));
        });
        return services;
    }

    /// <summary>The local store's gateway; absent with Pinata, whose own gateways serve the content.</summary>
    public static IEndpointRouteBuilder MapIpfs(this IEndpointRouteBuilder routes)
    {
        if (routes.ServiceProvider.GetRequiredService<IOptions<IpfsSettings>>().Value.Provider == IpfsProvider.Local)
        {
            routes.MapGet("/ipfs/{cid}", Get).AllowAnonymous().WithTags("System")
                .WithSummary("Development IPFS gateway: content pinned to the local store, by CID");
        }

        return routes;
    }

    private static Results<PhysicalFileHttpResult, NotFound> Get(string cid, LocalIpfsStore store, HttpContext context)
    {
        if (store.Find(cid) is not { } file)
        {
            return TypedResults.NotFound();
        }

        // Content-addressed: these bytes never change, and the type we stored is the only one a browser may assume.
        context.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.PhysicalFile(file.Path, file.ContentType);
    }
}
