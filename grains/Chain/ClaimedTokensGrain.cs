using FanForge.GrainInterfaces.Chain;

namespace FanForge.Grains.Chain;

[GenerateSerializer, Alias("ff.ClaimedTokensState")]
public sealed class ClaimedTokensState
{
    /// <summary>In registration order: the follower reads on from the count it has loaded.</summary>
    [Id(0)] public List<ClaimedToken> Tokens { get; set; } = [];
}

/// <summary>
/// Key <see cref="IClaimedTokens.Key"/>. An append-only list, so the follower loads only what is new since its last
/// look; it is told of each registration one way, as the creator directory tells it of apps.
/// </summary>
[GrainType("ff.claimed-tokens")]
public sealed class ClaimedTokensGrain(
    [PersistentState("claimed-tokens", StorageNames.Default)] IPersistentState<ClaimedTokensState> state)
    : Grain, IClaimedTokens
{
    private HashSet<ulong>? known;

    public async Task RegisterAsync(ClaimedToken token)
    {
        known ??= [.. state.State.Tokens.Select(t => t.AssetId)];
        if (known.Add(token.AssetId))
        {
            state.State.Tokens.Add(token);
            try
            {
                await state.WriteStateAsync();
            }
            catch
            {
                // Not stored: drop this activation so a retry registers it again rather than finding it known.
                known = null;
                DeactivateOnIdle();
                throw;
            }
        }

        // Also on a repeat: the claim that repeats it may follow a nudge that was lost.
        await GrainFactory.GetGrain<IChainFollower>(IChainFollower.Key).TokensClaimedAsync();
    }

    public Task<IReadOnlyList<ClaimedToken>> GetFromAsync(int from, int max) =>
        Task.FromResult<IReadOnlyList<ClaimedToken>>([.. state.State.Tokens.Skip(Math.Max(0, from)).Take(Math.Clamp(max, 1, 10_000))]);
}
