using FanForge.Api.Errors;

namespace FanForge.Api.Live;

internal static class LiveFeedApi
{
    public static IServiceCollection AddLiveFeed(this IServiceCollection services)
    {
        services.AddSingleton<LiveFeedRelay>();
        services.AddHostedService(sp => sp.GetRequiredService<LiveFeedRelay>());
        return services;
    }

    public static IEndpointRouteBuilder MapLiveFeed(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/ws", ServeAsync).AllowAnonymous().WithTags("Live")
            .WithSummary("WebSocket live feed: send {\"type\":\"subscribe\",\"channel\":\"feed\"|\"creator:{w}\"|\"fan:{w}\"}");
        return routes;
    }

    private static async Task ServeAsync(HttpContext context, LiveFeedRelay relay)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await ApiErrors.WriteAsync(context, StatusCodes.Status400BadRequest, "websocket_required", "Connect to /ws with a WebSocket upgrade request.");
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        await relay.ServeAsync(socket, context.RequestAborted);
    }
}
