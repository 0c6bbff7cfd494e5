using FanForge.GrainInterfaces.Auth;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace FanForge.Api.Auth;

/// <summary>Ties access tokens to their session (logout kills them) and keeps the reason a token was refused.</summary>
internal sealed class JwtEvents : JwtBearerEvents
{
    public const string FailureMessageKey = "fanforge.auth.failure";

    public override async Task TokenValidated(TokenValidatedContext context)
    {
        var sessionId = context.Principal?.FindFirst(TokenService.SessionClaim)?.Value;
        var grains = context.HttpContext.RequestServices.GetRequiredService<IGrainFactory>();
        if (sessionId is null || !await grains.GetGrain<IAuthSession>(sessionId).IsActiveAsync())
        {
            context.HttpContext.Items[FailureMessageKey] = "Session ended. Log in again.";
            context.Fail("session revoked");
        }
    }

    public override Task AuthenticationFailed(AuthenticationFailedContext context)
    {
        context.HttpContext.Items.TryAdd(
            FailureMessageKey,
            context.Exception is SecurityTokenExpiredException ? "Access token expired." : "Invalid access token.");
        return Task.CompletedTask;
    }
}
