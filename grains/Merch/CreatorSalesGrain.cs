using Orleans.Concurrency;
using FanForge.GrainInterfaces.Merch;

namespace FanForge.Grains.Merch;

[GenerateSerializer, Alias("ff.CreatorSalesState")]
public sealed class CreatorSalesState
{
    [Id(0)] public long PaidMicroAlgo { get; set; }
    [Id(1)] public long RefundedMicroAlgo { get; set; }

    /// <summary>Earlier layout of <see cref="PaidOrders"/>: read once and moved over on activation.</summary>
    [Id(2)] public HashSet<long> Paid { get; set; } = [];

    /// <summary>Earlier layout of <see cref="RefundedOrders"/>: read once and moved over on activation.</summary>
    [Id(3)] public HashSet<long> Refunded { get; set; } = [];

    /// <summary>Orders counted as paid / as refunded: the counts, and what makes a repeated call a no-op.</summary>
    [Id(4)] public IdRanges PaidOrders { get; set; } = new();
    [Id(5)] public IdRanges RefundedOrders { get; set; } = new();
}

/// <summary>
/// Key: creator wallet. Moved only by that creator's orders, every one of which reports here once paid, so it is
/// hot: reentrant, with concurrent reports sharing one write (<see cref="SharedWrite{T}"/>); each report is durable
/// before it is acknowledged.
/// </summary>
[GrainType("ff.creator-sales"), Reentrant]
public sealed class CreatorSalesGrain : Grain, ICreatorSales
{
    private readonly IPersistentState<CreatorSalesState> state;
    private readonly SharedWrite<CreatorSalesState> writes;

    public CreatorSalesGrain([PersistentState("creator-sales", StorageNames.Default)] IPersistentState<CreatorSalesState> state)
    {
        this.state = state;
        writes = new SharedWrite<CreatorSalesState>(state);
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var id in state.State.Paid)
        {
            state.State.PaidOrders.Add(id);
        }

        foreach (var id in state.State.Refunded)
        {
            state.State.RefundedOrders.Add(id);
        }

        state.State.Paid.Clear();
        state.State.Refunded.Clear();
        return Task.CompletedTask;
    }

    public Task RecordPaidAsync(long orderId, long totalMicroAlgo)
    {
        writes.ThrowIfPoisoned();
        if (!state.State.PaidOrders.Add(orderId))
        {
            return writes.WhenDurableAsync(); // a repeat: its first report may still be in a write that has not committed
        }

        state.State.PaidMicroAlgo += totalMicroAlgo;
        return writes.PersistAsync();
    }

    public Task RecordRefundedAsync(long orderId, long totalMicroAlgo)
    {
        writes.ThrowIfPoisoned();
        if (!state.State.PaidOrders.Contains(orderId) || !state.State.RefundedOrders.Add(orderId))
        {
            return writes.WhenDurableAsync();
        }

        state.State.RefundedMicroAlgo += totalMicroAlgo;
        return writes.PersistAsync();
    }

    public Task<CreatorSalesTotals> GetAsync() => Task.FromResult(new CreatorSalesTotals(
        (int)state.State.PaidOrders.Count, state.State.PaidMicroAlgo, (int)state.State.RefundedOrders.Count, state.State.RefundedMicroAlgo));
}
