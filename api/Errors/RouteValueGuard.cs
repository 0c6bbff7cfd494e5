using FanForge.GrainInterfaces.Errors;

namespace FanForge.Api.Errors;

/// <summary>
/// Path parameters become grain keys (wallets, order ids), and Orleans refuses a blank key with an
/// <see cref="ArgumentException"/> that would surface as a 500. One check for every route, before any handler runs:
/// a value that is blank, holds a control character or is longer than any id we issue is a 400
/// <c>invalid_request</c>. Each handler still checks the shape its id must have (a wallet, a positive number).
/// </summary>
internal static class RouteValueGuard
{
    /// <summary>Far above our longest id (a 58-character wallet, a partner order id).</summary>
    public const int MaxLength = 256;

    public static IApplicationBuilder UseWellFormedRouteValues(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        foreach (var (name, value) in context.Request.RouteValues)
        {
            if (value is string text && Problem(text) is { } problem)
            {
                throw DomainException.Invalid(ErrorCodes.InvalidRequest, $"Path parameter '{name}' {problem}.", new { parameter = name });
            }
        }

        return next(context);
    });

    /// <summary>Why <paramref name="value"/> cannot be an id, or null when it may be one.</summary>
    public static string? Problem(string value) =>
        string.IsNullOrWhiteSpace(value) ? "must not be blank"
        : value.Length > MaxLength ? $"must be at most {MaxLength} characters"
        : value.Any(char.IsControl) ? "must not contain control characters"
        : null;
}
