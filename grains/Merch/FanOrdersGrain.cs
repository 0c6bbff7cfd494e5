using FanForge.GrainInterfaces.Merch;
using FanForge.GrainInterfaces.Sequences;

namespace FanForge.Grains.Merch;

[GenerateSerializer, Alias("ff.FanOrdersState")]
public sealed class FanOrdersState
{
    /// <summary>Order ids, oldest first.</summary>
    [Id(0)] public List<long> Orders { get; set; } = [];

    /// <summary>Client idempotency keys, to the order each opened.</summary>
    [Id(1)] public Dictionary<string, long> ByKey { get; set; } = [];
}

/// <summary>Key: fan wallet. Ids only: the orders own their data.</summary>
[GrainType("ff.fan-orders")]
public sealed class FanOrdersGrain(
    [PersistentState("fan-orders", StorageNames.Default)] IPersistentState<FanOrdersState> state) : Grain, IFanOrders
{
    public async Task<long> OpenAsync(string? idempotencyKey)
    {
        if (idempotencyKey is not null && state.State.ByKey.TryGetValue(idempotencyKey, out var existing))
        {
            return existing;
        }

        var id = (await GrainFactory.GetGrain<IIdSequence>("order").ReserveAsync(1)).First;
        state.State.Orders.Add(id);
        if (idempotencyKey is not null)
        {
            state.State.ByKey[idempotencyKey] = id;
        }

        await state.WriteStateAsync();
        return id;
    }

    public Task<(IReadOnlyList<long> Ids, int Total)> GetPageAsync(int offset, int limit) =>
        Task.FromResult<(IReadOnlyList<long>, int)>(([.. Enumerable.Reverse(state.State.Orders).Skip(offset).Take(limit)], state.State.Orders.Count));
}
