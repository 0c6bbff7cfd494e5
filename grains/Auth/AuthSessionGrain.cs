using FanForge.GrainInterfaces.Auth;
using FanForge.GrainInterfaces.Errors;

namespace FanForge.Grains.Auth;

[GenerateSerializer, Alias("ff.AuthSessionState")]
public sealed class AuthSessionState
{
    [Id(0)] public string? Wallet { get; set; }
    [Id(1)] public int Generation { get; set; }
    [Id(2)] public DateTimeOffset ExpiresAt { get; set; }
    /// <summary>When the current generation replaced the previous one; bounds the retry grace.</summary>
    [Id(3)] public DateTimeOffset RotatedAt { get; set; }
    [Id(4)] public bool Revoked { get; set; }
}

[GrainType("ff.auth-session")]
public sealed class AuthSessionGrain(
    [PersistentState("session", StorageNames.Default)] IPersistentState<AuthSessionState> state,
    TimeProvider time) : Grain, IAuthSession
{
    /// <summary>A client whose refresh response was lost may retry with the old token this long.</summary>
    internal static readonly TimeSpan RetryGrace = TimeSpan.FromSeconds(60);

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

    public async Task<AuthSessionView> RotateAsync(int presentedGeneration)
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

        if (presentedGeneration == state.State.Generation - 1 && now - state.State.RotatedAt <= RetryGrace)
        {
            return View();
        }

        // An old refresh token came back: someone holds a copy. Kill the session for both parties.
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
