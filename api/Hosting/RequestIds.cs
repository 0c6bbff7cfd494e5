namespace FanForge.Api.Hosting;

/// <summary>
/// Every response names its request: <c>X-Request-Id</c> is ASP.NET Core's request id (<see cref="HttpContext.TraceIdentifier"/>),
/// the one its logs carry as <c>RequestId</c> and the audit trail records, so a client's report, a log line and an
/// audit entry can be matched. Ours only: an id a client or proxy sends is not taken over.
/// </summary>
internal static class RequestIds
{
    public const string Header = "X-Request-Id";

    /// <summary>The id of <paramref name="context"/>'s request.</summary>
    public static string Of(HttpContext context) => context.TraceIdentifier;

    /// <summary>Early in the pipeline, so error answers (written later, by the exception handler too) carry it.</summary>
    public static IApplicationBuilder UseRequestIds(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[Header] = Of(context);
            return Task.CompletedTask;
        });
        return next(context);
    });
}
