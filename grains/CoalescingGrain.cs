namespace FanForge.Grains;

/// <summary>
/// A grain that reports pour into from the whole cluster (Chirper style): every change is in memory at once and a
/// timer persists at most once per interval, plus once on deactivation. A crash loses at most one interval.
/// </summary>
public abstract class CoalescingGrain<TState>(IPersistentState<TState> state, TimeSpan flushInterval) : Grain
{
    private bool dirty;

    protected TState State => state.State;

    /// <summary>The state changed in memory; the next flush writes it.</summary>
    protected void Changed() => dirty = true;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Neither interleaves with calls nor keeps the grain alive.
        this.RegisterGrainTimer(FlushAsync, new GrainTimerCreationOptions(flushInterval, flushInterval) { Interleave = false });
        return base.OnActivateAsync(cancellationToken);
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => FlushAsync(cancellationToken);

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (dirty)
        {
            await state.WriteStateAsync(cancellationToken);
            dirty = false;
        }
    }
}
