using Microsoft.AspNetCore.Authentication.JwtBearer;
using FanForge.Silo;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace FanForge.Api.Auth;

internal static class IdentityServiceCollectionExtensions
{
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>Wallet-signature login: HS256 access tokens bound to a revocable session, policies, rate limits.</summary>
    public static WebApplicationBuilder AddFanForgeIdentity(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<AuthSettings, AuthSettingsRules>(AuthSettings.SectionName);
        builder.Services.AddSingleton<TokenService>();

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthSettings>, TimeProvider>((jwt, settings, time) =>
            {
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = settings.Value.Issuer,
                    ValidAudience = settings.Value.Audience,
                    IssuerSigningKey = new SymmetricSecurityKey(settings.Value.SigningKeyBytes),
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    RequireExpirationTime = true,
                    RequireSignedTokens = true,
                    LifetimeValidator = (notBefore, expires, _, _) => ValidateLifetime(time.GetUtcNow(), notBefore, expires),
                    NameClaimType = "sub",
                    RoleClaimType = TokenService.RoleClaim,
                };
                jwt.Events = new JwtEvents();
            });

        builder.Services.AddAuthorizationBuilder().AddFanForgePolicies();
        builder.Services.AddSingleton<IAuthorizationHandler, WalletOwnerHandler>();
        builder.Services.AddSingleton<IAuthorizationHandler, CreatorHandler>();
        builder.Services.AddSingleton<IAuthorizationHandler, AdminHandler>();
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, EnvelopeAuthorizationResultHandler>();

        // The limiters are built from the budgets while the host is built: read (and checked) now, and on start too.
        builder.Services.AddValidatedOptions<RateLimitSettings>(RateLimitSettings.SectionName);
        builder.Services.AddFanForgeRateLimits(ValidatedOptions.ReadValidated<RateLimitSettings>(builder.Configuration, RateLimitSettings.SectionName));
        return builder;
    }

    /// <summary>
    /// The library's own lifetime check reads the wall clock; ours reads the injected <see cref="TimeProvider"/> so
    /// tokens expire on the same clock that issued them.
    /// </summary>
    internal static bool ValidateLifetime(DateTimeOffset now, DateTime? notBefore, DateTime? expires)
    {
        if (expires is not { } validTo)
        {
            throw new SecurityTokenNoExpirationException("Access token has no expiry.");
        }

        if (notBefore is { } validFrom && validFrom > (now + ClockSkew).UtcDateTime)
        {
            throw new SecurityTokenNotYetValidException("Access token is not valid yet.") { NotBefore = validFrom };
        }

        if (validTo < (now - ClockSkew).UtcDateTime)
        {
            throw new SecurityTokenExpiredException("Access token expired.") { Expires = validTo };
        }

        return true;
    }
}
