using FanForge.GrainInterfaces.Memberships;

namespace FanForge.Grains.Memberships;

[GenerateSerializer, Alias("ff.CreatorMembersState")]
public sealed class CreatorMembersState
{
    [Id(0)] public int Active { get; set; }
    [Id(1)] public int EverJoined { get; set; }
    [Id(2)] public int Expirations { get; set; }

    /// <summary>Fingerprints of the latest notices, oldest first, at most <see cref="CreatorMembersGrain.NoticeWindow"/>.</summary>
    [Id(3)] public List<long> RecentNotices { get; set; } = [];
}

/// <summary>
/// Key: creator wallet. Counts, not a member list, so the state stays small however many members a creator has. A
/// membership repeats a notice only if it crashed between sending it and recording that it did, and then repeats it
/// within a minute (its reminder): a window of recent notices recognises the repeat without a per-fan set.
/// </summary>
[GrainType("ff.creator-members")]
public sealed class CreatorMembersGrain(
    [PersistentState("creator-members", StorageNames.Default)] IPersistentState<CreatorMembersState> state) : Grain, ICreatorMembers
{
    internal const int NoticeWindow = 512;
    private FingerprintWindow? recent;

    public async Task ChangedAsync(string fan, int term, bool active)
    {
        recent ??= new FingerprintWindow(state.State.RecentNotices, NoticeWindow);
        if (!recent.TryAdd($"{fan}:{term}:{(active ? '+' : '-')}"))
        {
            return;
        }

        if (active)
        {
            state.State.Active++;
            state.State.EverJoined += term == 1 ? 1 : 0;
        }
        else
        {
            state.State.Active--;
            state.State.Expirations++;
        }

        await state.WriteStateAsync();
    }

    public Task<CreatorMemberCount> GetAsync() => Task.FromResult(new CreatorMemberCount(state.State.Active, state.State.EverJoined, state.State.Expirations));
}
