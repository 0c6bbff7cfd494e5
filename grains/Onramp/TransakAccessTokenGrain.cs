using FanForge.GrainInterfaces.Onramp;
using Microsoft.Extensions.Logging;

namespace FanForge.Grains.Onramp;

/// <summary>The current token and the one it replaced; both secrets, kept in our own storage only.</summary>
[GenerateSerializer, Alias("ff.TransakAccessTokenState")]
public sealed class TransakAccessTokenState
{
    [Id(0)] public string? Token { get; set; }
    [Id(1)] public DateTimeOffset ExpiresAt { get; set; }
    [Id(2)] public string? PreviousToken { get; set; }

    /// <summary>Until when a webhook signed with <see cref="PreviousToken"/> is still accepted.</summary>
    [Id(3)] public DateTimeOffset PreviousAcceptedUntil { get; set; }
}

/// <summary>
/// Key: the partner API key (so a changed key never reuses a token of the old one). Not reentrant on purpose: a
/// caller that arrives during a refresh waits for it and gets the new token instead of starting a second refresh,
/// which would revoke the first. Time is the host's real clock, like every other token lifetime.
/// </summary>
[GrainType("ff.transak-access-token")]
public sealed class TransakAccessTokenGrain(
    [PersistentState("transak-access-token", StorageNames.Default)] IPersistentState<TransakAccessTokenState> state,
    TransakPartnerClient transak,
    TimeProvider time,
    ILogger<TransakAccessTokenGrain> logger) : Grain, ITransakAccessToken
{
    /// <summary>Refresh this long before Transak's expiry, so no call goes out with a token about to lapse.</summary>
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(10);

    /// <summary>How long the replaced token still verifies webhooks: Transak may have signed one just before the refresh.</summary>
    public static readonly TimeSpan WebhookGrace = TimeSpan.FromMinutes(15);

    public async Task<string> GetAsync()
    {
        var now = time.GetUtcNow();
        if (state.State.Token is { } current && now + RefreshMargin < state.State.ExpiresAt)
        {
            return current;
        }

        var fresh = await transak.RefreshAccessTokenAsync(this.GetPrimaryKeyString(), CancellationToken.None);
        state.State = new TransakAccessTokenState
        {
            Token = fresh.Token,
            ExpiresAt = fresh.ExpiresAt,
            PreviousToken = state.State.Token,
            PreviousAcceptedUntil = now + WebhookGrace,
        };
        await state.WriteStateAsync();
        logger.LogInformation("Transak access token refreshed; it expires at {ExpiresAt}", fresh.ExpiresAt);
        return fresh.Token;
    }

    public async Task InvalidateAsync(string rejected)
    {
        if (state.State.Token == rejected && state.State.ExpiresAt != DateTimeOffset.MinValue)
        {
            // Kept as the current token until the refresh replaces it, so it still moves into the webhook grace.
            state.State.ExpiresAt = DateTimeOffset.MinValue;
            await state.WriteStateAsync();
            logger.LogWarning("Transak refused the cluster's access token (refreshed elsewhere with the same API key); the next call refreshes it");
        }
    }

    public Task<IReadOnlyList<string>> GetWebhookKeysAsync()
    {
        var previous = time.GetUtcNow() < state.State.PreviousAcceptedUntil ? state.State.PreviousToken : null;
        return Task.FromResult<IReadOnlyList<string>>([.. new[] { state.State.Token, previous }.OfType<string>()]);
    }
}
