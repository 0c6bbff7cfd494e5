using FanForge.Api.Auth;
using FanForge.Silo;
using Microsoft.Extensions.Options;
using Orleans.Dashboard;

namespace FanForge.Api.Hosting;

/// <summary>
/// The Orleans dashboard at <c>/dashboard</c> (with <c>Dashboard:Enabled</c>): every grain type, silo, reminder and a
/// live log, so admins only, in every environment. Its page, assets and data routes are the package's own; they are
/// an operator's tool, not part of the HTTP contract, so the OpenAPI document leaves them out.
/// </summary>
internal static class DashboardApi
{
    public const string Route = "/dashboard";

    public static IEndpointRouteBuilder MapFanForgeDashboard(this IEndpointRouteBuilder routes)
    {
        if (routes.ServiceProvider.GetRequiredService<IOptions<DashboardSettings>>().Value.Enabled)
        {
            routes.MapOrleansDashboard(routePrefix: Route)
                .RequireAuthorization(Policies.Admin)
                .ExcludeFromDescription();
        }

        return routes;
    }
}
