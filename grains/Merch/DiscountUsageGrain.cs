using FanForge.GrainInterfaces.Merch;

namespace FanForge.Grains.Merch;

[GenerateSerializer, Alias("ff.DiscountUsageState")]
public sealed class DiscountUsageState
{
    [Id(0)] public Dictionary<long, int> UsesByRule { get; set; } = [];

    /// <summary>Orders already counted: one fan's paid orders at one creator.</summary>
    [Id(1)] public HashSet<long> Orders { get; set; } = [];
}

/// <summary>Key <c>{creator}/{fan}</c>.</summary>
[GrainType("ff.discount-usage")]
public sealed class DiscountUsageGrain(
    [PersistentState("discount-usage", StorageNames.Default)] IPersistentState<DiscountUsageState> state) : Grain, IDiscountUsage
{
    public Task<IReadOnlyDictionary<long, int>> GetAsync() => Task.FromResult<IReadOnlyDictionary<long, int>>(new Dictionary<long, int>(state.State.UsesByRule));

    public async Task RecordAsync(long orderId, long ruleId)
    {
        if (!state.State.Orders.Add(orderId))
        {
            return;
        }

        state.State.UsesByRule[ruleId] = state.State.UsesByRule.GetValueOrDefault(ruleId) + 1;
        await state.WriteStateAsync();
    }
}
