using FanForge.GrainInterfaces.Creators;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace FanForge.Api.Auth;

/// <summary>Authorization policy names; every endpoint names one of these or is explicitly anonymous.</summary>
internal static class Policies
{
    /// <summary>Any valid access token (e.g. body-wallet routes that check the wallet in the handler).</summary>
    public const string Authenticated = "authenticated";

    /// <summary>The token's wallet is the <c>{wallet}</c> route value (a creator is also a fan of its own wallet).</summary>
    public const string WalletOwner = "wallet-owner";

    /// <summary><see cref="WalletOwner"/> and the wallet is a registered creator.</summary>
    public const string Creator = "creator";

    /// <summary>The token's wallet is in <c>Auth:AdminWallets</c>.</summary>
    public const string Admin = "admin";

    public const string WalletRouteValue = "wallet";

    public static string? WalletOf(this System.Security.Claims.ClaimsPrincipal user) =>
        user.FindFirst(JwtRegisteredClaimNames.Sub)?.Value;

    public static AuthorizationBuilder AddFanForgePolicies(this AuthorizationBuilder builder) => builder
        .AddPolicy(Authenticated, p => p.RequireAuthenticatedUser())
        .AddPolicy(WalletOwner, p => p.RequireAuthenticatedUser().AddRequirements(new WalletOwnerRequirement()))
        .AddPolicy(Creator, p => p.RequireAuthenticatedUser().AddRequirements(new WalletOwnerRequirement(), new CreatorRequirement()))
        .AddPolicy(Admin, p => p.RequireAuthenticatedUser().AddRequirements(new AdminRequirement()));
}

internal sealed class WalletOwnerRequirement : IAuthorizationRequirement;

internal sealed class CreatorRequirement : IAuthorizationRequirement;

internal sealed class AdminRequirement : IAuthorizationRequirement;

internal sealed class WalletOwnerHandler : AuthorizationHandler<WalletOwnerRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, WalletOwnerRequirement requirement)
    {
        var routeWallet = (context.Resource as HttpContext)?.GetRouteValue(Policies.WalletRouteValue) as string;
        if (routeWallet is not null && string.Equals(routeWallet, context.User.WalletOf(), StringComparison.Ordinal))
        {
            context.Succeed(requirement);
        }
        else
        {
            context.Fail(new AuthorizationFailureReason(this, "Wallet mismatch for access token."));
        }

        return Task.CompletedTask;
    }
}

/// <summary>
/// Reads the Creator grain rather than trusting the token's role claim, so a fan who registers keeps working with the
/// token it already holds (the unchanged frontend never logs in again after registering).
/// </summary>
internal sealed class CreatorHandler(IGrainFactory grains) : AuthorizationHandler<CreatorRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, CreatorRequirement requirement)
    {
        if (context.User.WalletOf() is { } wallet && await grains.GetGrain<ICreator>(wallet).GetProfileAsync() is not null)
        {
            context.Succeed(requirement);
        }
        else
        {
            context.Fail(new AuthorizationFailureReason(this, "Creator role required for this endpoint."));
        }
    }
}

internal sealed class AdminHandler(IOptions<AuthSettings> settings) : AuthorizationHandler<AdminRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AdminRequirement requirement)
    {
        if (context.User.WalletOf() is { } wallet && settings.Value.AdminWallets.Contains(wallet, StringComparer.Ordinal))
        {
            context.Succeed(requirement);
        }
        else
        {
            context.Fail(new AuthorizationFailureReason(this, "Platform admin required for this endpoint."));
        }

        return Task.CompletedTask;
    }
}
