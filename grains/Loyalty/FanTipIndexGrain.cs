using FanForge.GrainInterfaces.Loyalty;

namespace FanForge.Grains.Loyalty;

[GenerateSerializer, Alias("ff.FanTipIndexState")]
public sealed class FanTipIndexState
{
    /// <summary>One snapshot per creator the fan paid (bounded by the creators, not by the payments).</summary>
    [Id(0)] public Dictionary<string, FanLoyaltySnapshot> Creators { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Newest first, at most <see cref="FanTipIndexGrain.RecentCapacity"/>.</summary>
    [Id(1)] public List<ChainTip> Recent { get; set; } = [];
}

/// <summary>Key: fan wallet.</summary>
[GrainType("ff.fan-tip-index")]
public sealed class FanTipIndexGrain(
    [PersistentState("fan-tip-index", StorageNames.Default)] IPersistentState<FanTipIndexState> state)
    : Grain, IFanTipIndex
{
    internal const int RecentCapacity = 20;

    public async Task RecordAsync(FanLoyaltySnapshot pair, IReadOnlyList<ChainTip> payments)
    {
        var changed = false;
        // Snapshots only move forward: a late, older update must not overwrite a newer one.
        if (!state.State.Creators.TryGetValue(pair.Creator, out var known) || pair.HighWater > known.HighWater)
        {
            state.State.Creators[pair.Creator] = pair;
            changed = true;
        }

        foreach (var payment in payments)
        {
            changed |= AddRecent(payment);
        }

        if (changed)
        {
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<FanLoyaltySnapshot>> GetCreatorsAsync() =>
        Task.FromResult<IReadOnlyList<FanLoyaltySnapshot>>([.. state.State.Creators.Values]);

    public Task<IReadOnlyList<ChainTip>> GetRecentAsync() => Task.FromResult<IReadOnlyList<ChainTip>>([.. state.State.Recent]);

    private bool AddRecent(ChainTip payment)
    {
        var recent = state.State.Recent;
        if (recent.Exists(r => r.TxId == payment.TxId)
            || (recent.Count == RecentCapacity && payment.ConfirmedAt <= recent[^1].ConfirmedAt))
        {
            return false; // already listed, or older than everything kept
        }

        var index = recent.FindIndex(r => r.ConfirmedAt < payment.ConfirmedAt);
        recent.Insert(index < 0 ? recent.Count : index, payment);
        if (recent.Count > RecentCapacity)
        {
            recent.RemoveAt(recent.Count - 1);
        }

        return true;
    }
}
