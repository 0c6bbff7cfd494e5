using FanForge.GrainInterfaces.Auth;
using FanForge.GrainInterfaces.Errors;

namespace FanForge.Grains.Auth;

[GenerateSerializer, Alias("ff.AuthSessionState")]
public sealed class AuthSessionState
{
    [Id(0)] public string? Wallet { get; set; }
    [Id(1)] public int Generation { get; set; }
    [Id(2)] public DateTimeOffset ExpiresAt { get; set; }
    /// <summary>When the current generation replaced the previous one; bounds the reuse grace.</summary>
    [Id(3)] public DateTimeOffset RotatedAt { get; set; }
    [Id(4)] public bool Revoked { get; set; }
}

[GrainType("ff.auth-session")]
public sealed class AuthSessionGrain(
    [PersistentState("session", StorageNames.Default)] IPersistentState<AuthSessionState> state,
    TimeProvider time) : Grain, IAuthSession
{
    /// <summary>The longest reuse grace a caller may ask for; beyond it a copied token would live too long.</summary>
    public static readonly TimeSpan MaxReuseGrace = TimeSpan.FromSeconds(60);

    public async Task<AuthSessionView> StartAsync(string wallet, DateTimeOffset expiresAt)
    {
        if (state.State.Wallet is { } existing)
        {
            return existing == wallet ? View() : throw DomainException.Conflict("session_exists", "Session id already in use.");
        }

        state.State.Wallet = wallet;
        state.State.ExpiresAt = expiresAt;
        state.State.RotatedAt = time.GetUtcNow();
        await state.WriteStateAsync();
        return View();
    }

    public async Task<AuthSessionView> RotateAsync(int presentedGeneration, TimeSpan reuseGrace)
    {
        var now = time.GetUtcNow();
        if (!IsActive(now))
        {
            throw InvalidToken();
        }

        if (presentedGeneration == state.State.Generation)
        {
            state.State.Generation++;
            state.State.RotatedAt = now;
            await state.WriteStateAsync();
            return View();
        }

        // Only with a grace configured (off by default): the generation just replaced, presented within it, gets the
        // live one, for two tabs refreshing at once. Calls on one session run one at a time, so without a grace
        // exactly one of several concurrent refreshes of a token wins and the rest are reuse.
        var grace = reuseGrace < TimeSpan.Zero ? TimeSpan.Zero : reuseGrace > MaxReuseGrace ? MaxReuseGrace : reuseGrace;
        if (grace > TimeSpan.Zero && presentedGeneration == state.State.Generation - 1 && now - state.State.RotatedAt <= grace)
        {
            return View();
        }

        // A rotated refresh token came back: someone may hold a copy. End the session, every token of it, for both.
        state.State.Revoked = true;
        await state.WriteStateAsync();
        throw InvalidToken();
    }

    public Task<bool> IsActiveAsync() => Task.FromResult(IsActive(time.GetUtcNow()));

    public async Task RevokeAsync()
    {
        if (state.State.Wallet is null || state.State.Revoked)
        {
            return;
        }

        state.State.Revoked = true;
        await state.WriteStateAsync();
    }

    private bool IsActive(DateTimeOffset now) => state.State.Wallet is not null && !state.State.Revoked && now < state.State.ExpiresAt;

    private AuthSessionView View() => new(state.State.Wallet!, state.State.Generation, state.State.ExpiresAt);

    private static DomainException InvalidToken() =>
        new(DomainErrorKind.Unauthenticated, "invalid_refresh_token", "Refresh token is invalid, expired or revoked. Log in again.");
}
