using FanForge.GrainInterfaces.Chain;

namespace FanForge.Grains.Chain;

[GenerateSerializer, Alias("ff.CreatorDirectoryState")]
public sealed class CreatorDirectoryState
{
    [Id(0)] public Dictionary<ulong, CreatorApp> Apps { get; set; } = [];
}

[GrainType("ff.creator-directory")]
public sealed class CreatorDirectoryGrain(
    [PersistentState("creator-directory", StorageNames.Default)] IPersistentState<CreatorDirectoryState> state)
    : Grain, ICreatorDirectory
{
    public async Task RegisterAsync(CreatorApp app)
    {
        if (state.State.Apps.TryGetValue(app.AppId, out var known) && known == app)
        {
            return;
        }

        state.State.Apps[app.AppId] = app;
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IChainFollower>(IChainFollower.Key).NudgeAsync();
    }

    public Task<IReadOnlyList<CreatorApp>> GetAppsAsync() => Task.FromResult<IReadOnlyList<CreatorApp>>([.. state.State.Apps.Values]);
}
