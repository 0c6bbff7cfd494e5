using System.Text.Json.Serialization;
using FanForge.Grains.Algorand;
using FanForge.GrainInterfaces.Auth;
using FanForge.GrainInterfaces.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace FanForge.Api.Auth;

internal static class AuthApi
{
    public static RouteGroupBuilder MapAuth(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/auth").WithTags("Auth").AllowAnonymous();

        group.MapPost("/challenge", IssueChallengeAsync).RequireRateLimiting(RateLimits.Challenge)
            .WithSummary("Issue a nonce for the wallet to sign (algosdk signBytes: \"MX\" + nonce)");
        group.MapPost("/verify", VerifyAsync).RequireRateLimiting(RateLimits.Verify)
            .WithSummary("Exchange a signed nonce for an access token and a refresh token");
        group.MapPost("/refresh", RefreshAsync).RequireRateLimiting(RateLimits.Verify)
            .WithSummary("Rotate a refresh token; presenting a rotated one again ends the session (401 invalid_refresh_token)");
        group.MapPost("/logout", LogoutAsync)
            .WithSummary("End the session of the bearer token and/or the given refresh token");

        return group;
    }

    private static async Task<Ok<ChallengeResponse>> IssueChallengeAsync(
        ChallengeRequest request, IGrainFactory grains, IOptions<AuthSettings> settings)
    {
        var wallet = AlgorandAddress.Parse(request.WalletAddress!).ToString();
        var issued = await grains.GetGrain<IAuthChallenge>(wallet).IssueAsync(settings.Value.ChallengeLifetime);
        var expiresAt = issued.ExpiresAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Ok(new ChallengeResponse(
            wallet, issued.Nonce, issued.ExpiresAt,
            $"FanForge authentication\nWallet: {wallet}\nNonce: {issued.Nonce}\nExpiresAt: {expiresAt}\n"));
    }

    private static async Task<Ok<TokenResponse>> VerifyAsync(VerifyRequest request, IGrainFactory grains, TokenService tokens)
    {
        var wallet = AlgorandAddress.Parse(request.WalletAddress!).ToString();
        if (request.Nonce is not { Length: >= 16 and <= 128 } nonce)
        {
            throw DomainException.Invalid(ErrorCodes.Validation, "nonce must be 16 to 128 characters.");
        }

        if (!WalletSignature.TryDecodeBase64Signature(request.Signature, out var signature))
        {
            throw DomainException.Invalid("invalid_signature_encoding", "Signature must be base64 encoded (64 bytes).");
        }

        await grains.GetGrain<IAuthChallenge>(wallet).RedeemAsync(nonce, signature);
        return TypedResults.Ok(TokenResponse.From(await tokens.StartSessionAsync(wallet)));
    }

    private static async Task<Ok<TokenResponse>> RefreshAsync(RefreshRequest request, TokenService tokens) =>
        TypedResults.Ok(TokenResponse.From(await tokens.RefreshAsync(request.RefreshToken)));

    private static async Task<Ok<LogoutResponse>> LogoutAsync(
        [FromBody(EmptyBodyBehavior = Microsoft.AspNetCore.Mvc.ModelBinding.EmptyBodyBehavior.Allow)] RefreshRequest? request,
        HttpContext context, TokenService tokens)
    {
        if (context.User.FindFirst(TokenService.SessionClaim)?.Value is { } sessionId)
        {
            await tokens.RevokeSessionAsync(sessionId);
        }
        else if (request?.RefreshToken is null)
        {
            throw new DomainException(DomainErrorKind.Unauthenticated, ErrorCodes.Unauthorized, "Send a bearer token or a refreshToken to log out.");
        }

        if (request?.RefreshToken is { } refreshToken)
        {
            await tokens.RevokeAsync(refreshToken);
        }

        return TypedResults.Ok(new LogoutResponse(true));
    }
}

internal sealed record ChallengeRequest(string? WalletAddress);

internal sealed record VerifyRequest(string? WalletAddress, string? Nonce, string? Signature);

internal sealed record RefreshRequest(string? RefreshToken);

internal sealed record ChallengeResponse(string WalletAddress, string Nonce, DateTimeOffset ExpiresAt, string Message);

internal sealed record LogoutResponse([property: JsonPropertyName("success")] bool Success);

internal sealed record TokenResponse(
    string WalletAddress, string Role, string AccessToken, string TokenType, int ExpiresInSeconds, string RefreshToken, DateTimeOffset RefreshExpiresAt)
{
    public static TokenResponse From(IssuedTokens issued) =>
        new(issued.Wallet, issued.Role, issued.AccessToken, "Bearer", issued.ExpiresInSeconds, issued.RefreshToken, issued.RefreshExpiresAt);
}
