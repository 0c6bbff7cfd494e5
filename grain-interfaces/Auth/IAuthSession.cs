namespace FanForge.GrainInterfaces.Auth;

/// <summary>
/// One login session (key: a random session id) behind a rotating refresh token. The token's secret is derived
/// from the session id and a generation number by the API, so the grain stores no secrets: only which generation
/// is current, and whether the session is alive.
/// </summary>
[Alias("ff.IAuthSession")]
public interface IAuthSession : IGrainWithStringKey
{
    /// <summary>Starts the session for <paramref name="wallet"/> at generation 0. Idempotent for the same wallet.</summary>
    [Alias("Start")]
    Task<AuthSessionView> StartAsync(string wallet, DateTimeOffset expiresAt);

    /// <summary>
    /// Rotates from <paramref name="presentedGeneration"/> to the next one. Any other generation is token reuse and
    /// revokes the session, except the generation just replaced presented within <paramref name="reuseGrace"/>
    /// (zero: no grace; at most 60 s) of its replacement, which returns the current one again. Throws
    /// <c>invalid_refresh_token</c> (401) when not usable.
    /// </summary>
    /// <param name="presentedGeneration">Generation of the refresh token presented.</param>
    /// <param name="reuseGrace">How long the replaced generation may still be presented; zero for none.</param>
    [Alias("RotateWithGrace")]
    Task<AuthSessionView> RotateAsync(int presentedGeneration, TimeSpan reuseGrace);

    /// <summary>True while the session is neither revoked nor expired; access tokens die with their session.</summary>
    [Alias("IsActive")]
    Task<bool> IsActiveAsync();

    /// <summary>Revokes the session. Idempotent.</summary>
    [Alias("Revoke")]
    Task RevokeAsync();
}

/// <summary>The wallet and current generation of a live session.</summary>
[GenerateSerializer, Immutable, Alias("ff.AuthSessionView")]
public sealed record AuthSessionView(
    [property: Id(0)] string Wallet,
    [property: Id(1)] int Generation,
    [property: Id(2)] DateTimeOffset ExpiresAt);
