using FanForge.GrainInterfaces.Onramp;
using FanForge.GrainInterfaces.Sequences;

namespace FanForge.Grains.Onramp;

[GenerateSerializer, Alias("ff.FanOnrampOrdersState")]
public sealed class FanOnrampOrdersState
{
    /// <summary>Partner order ids, oldest first.</summary>
    [Id(0)] public List<string> Orders { get; set; } = [];

    /// <summary>Client idempotency keys (scoped by creator), to the partner order id each opened.</summary>
    [Id(1)] public Dictionary<string, string> ByKey { get; set; } = [];

    /// <summary>Partner order id to its order number.</summary>
    [Id(2)] public Dictionary<string, long> Numbers { get; set; } = [];
}

/// <summary>Key: fan wallet. Ids only: the orders own their data.</summary>
[GrainType("ff.fan-onramp-orders")]
public sealed class FanOnrampOrdersGrain(
    [PersistentState("fan-onramp-orders", StorageNames.Default)] IPersistentState<FanOnrampOrdersState> state) : Grain, IFanOnrampOrders
{
    /// <summary>The id sequence of on-ramp order numbers (the prototype's integer <c>orderId</c>).</summary>
    public const string Sequence = "onramp-order";

    private string Fan => this.GetPrimaryKeyString();

    public async Task<(string PartnerOrderId, long OrderId)> OpenAsync(string creatorWallet, string? idempotencyKey)
    {
        var key = idempotencyKey is null ? null : $"{creatorWallet}:{idempotencyKey}";
        if (key is not null && state.State.ByKey.TryGetValue(key, out var existing))
        {
            return (existing, state.State.Numbers[existing]);
        }

        var number = (await GrainFactory.GetGrain<IIdSequence>(Sequence).ReserveAsync(1)).First;
        var partnerOrderId = $"tip_{Fan[..8]}_{creatorWallet[..8]}_{Guid.NewGuid():N}"[..(4 + 8 + 1 + 8 + 1 + 12)];
        state.State.Orders.Add(partnerOrderId);
        state.State.Numbers[partnerOrderId] = number;
        if (key is not null)
        {
            state.State.ByKey[key] = partnerOrderId;
        }

        await state.WriteStateAsync();
        return (partnerOrderId, number);
    }

    public Task<IReadOnlyList<string>> GetRecentAsync(int limit) =>
        Task.FromResult<IReadOnlyList<string>>([.. Enumerable.Reverse(state.State.Orders).Take(limit)]);
}
