using FanForge.GrainInterfaces.Merch;

namespace FanForge.Grains.Merch;

[GenerateSerializer, Alias("ff.CreatorSalesState")]
public sealed class CreatorSalesState
{
    [Id(0)] public long PaidMicroAlgo { get; set; }
    [Id(1)] public long RefundedMicroAlgo { get; set; }

    /// <summary>Orders counted as paid / as refunded: the counts, and what makes a repeated call a no-op.</summary>
    [Id(2)] public HashSet<long> Paid { get; set; } = [];
    [Id(3)] public HashSet<long> Refunded { get; set; } = [];
}

/// <summary>Key: creator wallet. Moved only by that creator's orders.</summary>
[GrainType("ff.creator-sales")]
public sealed class CreatorSalesGrain(
    [PersistentState("creator-sales", StorageNames.Default)] IPersistentState<CreatorSalesState> state) : Grain, ICreatorSales
{
    public async Task RecordPaidAsync(long orderId, long totalMicroAlgo)
    {
        if (state.State.Paid.Add(orderId))
        {
            state.State.PaidMicroAlgo += totalMicroAlgo;
            await state.WriteStateAsync();
        }
    }

    public async Task RecordRefundedAsync(long orderId, long totalMicroAlgo)
    {
        if (state.State.Paid.Contains(orderId) && state.State.Refunded.Add(orderId))
        {
            state.State.RefundedMicroAlgo += totalMicroAlgo;
            await state.WriteStateAsync();
        }
    }

    public Task<CreatorSalesTotals> GetAsync() => Task.FromResult(new CreatorSalesTotals(
        state.State.Paid.Count, state.State.PaidMicroAlgo, state.State.Refunded.Count, state.State.RefundedMicroAlgo));
}
