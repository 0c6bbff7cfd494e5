using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using FanForge.GrainInterfaces.Auth;
using FanForge.GrainInterfaces.Creators;
using FanForge.GrainInterfaces.Errors;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FanForge.Api.Auth;

/// <summary>What a successful login or refresh returns to the wallet.</summary>
internal sealed record IssuedTokens(string Wallet, string Role, string AccessToken, int ExpiresInSeconds, string RefreshToken, DateTimeOffset RefreshExpiresAt);

/// <summary>
/// Issues access tokens (HS256 JWT bound to a session) and refresh tokens <c>{session}.{generation}.{mac}</c>,
/// where the MAC is derived from the signing key, so refresh secrets are never stored and rotation is a counter.
/// </summary>
internal sealed class TokenService(IOptions<AuthSettings> options, IGrainFactory grains, TimeProvider time)
{
    public const string SessionClaim = "sid";
    public const string RoleClaim = "role";

    private readonly AuthSettings settings = options.Value;
    private readonly byte[] refreshKey = HMACSHA256.HashData(options.Value.SigningKeyBytes, "fanforge-refresh-token-v1"u8);

    public SymmetricSecurityKey SigningKey => new(settings.SigningKeyBytes);

    public async Task<IssuedTokens> StartSessionAsync(string wallet)
    {
        var sessionId = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
        var session = await grains.GetGrain<IAuthSession>(sessionId).StartAsync(wallet, time.GetUtcNow() + settings.RefreshTokenLifetime);
        return await IssueAsync(sessionId, session);
    }

    public async Task<IssuedTokens> RefreshAsync(string? refreshToken)
    {
        var (sessionId, generation) = ParseRefreshToken(refreshToken);
        var session = await grains.GetGrain<IAuthSession>(sessionId).RotateAsync(generation, settings.RefreshReuseGrace);
        return await IssueAsync(sessionId, session);
    }

    /// <summary>Revokes the session named by a refresh token; a token that does not verify changes nothing.</summary>
    public Task RevokeAsync(string? refreshToken) =>
        grains.GetGrain<IAuthSession>(ParseRefreshToken(refreshToken).SessionId).RevokeAsync();

    public Task RevokeSessionAsync(string sessionId) => grains.GetGrain<IAuthSession>(sessionId).RevokeAsync();

    public async Task<string> RoleOfAsync(string wallet) =>
        await grains.GetGrain<ICreator>(wallet).GetProfileAsync() is null ? Roles.Fan : Roles.Creator;

    private async Task<IssuedTokens> IssueAsync(string sessionId, AuthSessionView session)
    {
        var role = await RoleOfAsync(session.Wallet);
        var now = time.GetUtcNow();
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = settings.Issuer,
            Audience = settings.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + settings.AccessTokenLifetime).UtcDateTime,
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = session.Wallet,
                [RoleClaim] = role,
                [JwtRegisteredClaimNames.Jti] = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16)),
                [SessionClaim] = sessionId,
            },
            SigningCredentials = new SigningCredentials(SigningKey, SecurityAlgorithms.HmacSha256),
        };
        var accessToken = new JsonWebTokenHandler().CreateToken(descriptor);
        var refreshToken = $"{sessionId}.{session.Generation}.{Mac(sessionId, session.Generation)}";
        return new IssuedTokens(session.Wallet, role, accessToken, (int)settings.AccessTokenLifetime.TotalSeconds, refreshToken, session.ExpiresAt);
    }

    private (string SessionId, int Generation) ParseRefreshToken(string? token)
    {
        var parts = token?.Split('.') ?? [];
        if (parts.Length == 3
            && parts[0].Length is > 0 and <= 32
            && int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var generation)
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(parts[2]), Encoding.ASCII.GetBytes(Mac(parts[0], generation))))
        {
            return (parts[0], generation);
        }

        throw new DomainException(DomainErrorKind.Unauthenticated, "invalid_refresh_token", "Refresh token is invalid, expired or revoked. Log in again.");
    }

    private string Mac(string sessionId, int generation) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(refreshKey, Encoding.ASCII.GetBytes($"{sessionId}.{generation}")));

}

internal static class Roles
{
    public const string Fan = "fan";
    public const string Creator = "creator";
}
