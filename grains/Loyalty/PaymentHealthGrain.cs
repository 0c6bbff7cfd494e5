using FanForge.GrainInterfaces.Loyalty;

namespace FanForge.Grains.Loyalty;

[GenerateSerializer, Alias("ff.PaymentHealthState")]
public sealed class PaymentHealthState
{
    [Id(0)] public Dictionary<string, CreatorParked> Creators { get; set; } = [];
}

/// <summary>
/// Persisted, like the mint counts, because "parked" is a level that must outlive restarts; writes are coalesced, and
/// each report is the journal's whole current figure, so a lost one is corrected by the next.
/// </summary>
[GrainType("ff.payment-health")]
public sealed class PaymentHealthGrain(
    [PersistentState("payment-health", StorageNames.Default)] IPersistentState<PaymentHealthState> state)
    : CoalescingGrain<PaymentHealthState>(state, TimeSpan.FromSeconds(2)), IPaymentHealth
{
    public Task ReportAsync(CreatorParked parked)
    {
        if (parked.Consumers == 0 ? State.Creators.Remove(parked.Creator) : State.Creators.TryAdd(parked.Creator, parked) || Replace(parked))
        {
            Changed();
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<CreatorParked>> GetAsync() =>
        Task.FromResult<IReadOnlyList<CreatorParked>>([.. State.Creators.Values.OrderByDescending(p => p.Consumers).ThenBy(p => p.Creator, StringComparer.Ordinal)]);

    private bool Replace(CreatorParked parked)
    {
        State.Creators[parked.Creator] = parked;
        return true;
    }
}
