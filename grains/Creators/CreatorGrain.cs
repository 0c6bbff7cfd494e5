using FanForge.GrainInterfaces.Creators;
using FanForge.GrainInterfaces.Errors;

namespace FanForge.Grains.Creators;

[GenerateSerializer, Alias("ff.CreatorState")]
public sealed class CreatorState
{
    [Id(0)] public CreatorProfile? Profile { get; set; }
}

[GrainType("ff.creator")]
public sealed class CreatorGrain(
    [PersistentState("creator", StorageNames.Default)] IPersistentState<CreatorState> state,
    TimeProvider time) : Grain, ICreator
{
    public async Task<CreatorProfile> RegisterAsync(RegisterCreator command)
    {
        if (state.State.Profile is { } existing)
        {
            // A retry of the same registration (its response was lost) gets the first answer; a different one is refused.
            if (existing.Username == command.Username && existing.MinTipMicroAlgo == command.MinTipMicroAlgo)
            {
                return existing;
            }

            throw DomainException.Conflict(
                "already_registered",
                $"Creator {existing.Wallet[..8]}... is already registered.",
                new { registeredAt = existing.RegisteredAt });
        }

        state.State.Profile = new CreatorProfile(this.GetPrimaryKeyString(), command.Username, command.MinTipMicroAlgo, time.GetUtcNow());
        await state.WriteStateAsync();
        return state.State.Profile;
    }

    public Task<CreatorProfile?> GetProfileAsync() => Task.FromResult(state.State.Profile);
}
