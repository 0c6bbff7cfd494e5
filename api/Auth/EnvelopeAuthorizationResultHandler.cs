using FanForge.Api.Errors;
using FanForge.GrainInterfaces.Errors;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace FanForge.Api.Auth;

/// <summary>Denials leave in the error envelope with the reason the failing requirement gave.</summary>
internal sealed class EnvelopeAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler fallback = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Challenged)
        {
            var message = context.Items.TryGetValue(JwtEvents.FailureMessageKey, out var reason) && reason is string text
                ? text
                : "Authentication required. Provide Authorization: Bearer <token>.";
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return ApiErrors.WriteAsync(context, StatusCodes.Status401Unauthorized, ErrorCodes.Unauthorized, message);
        }

        if (authorizeResult.Forbidden)
        {
            var message = authorizeResult.AuthorizationFailure?.FailureReasons.FirstOrDefault()?.Message
                ?? "You do not have permission to do this.";
            return ApiErrors.WriteAsync(context, StatusCodes.Status403Forbidden, ErrorCodes.Forbidden, message);
        }

        return fallback.HandleAsync(next, context, policy, authorizeResult);
    }
}
