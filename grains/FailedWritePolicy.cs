namespace FanForge.Grains;

/// <summary>
/// The one policy for a failed state write, applied to every grain by the silo rather than by each grain: when
/// writing (or clearing) a grain's state fails, the activation is deactivated and the exception goes on to the caller.
/// </summary>
/// <remarks>
/// Why: a grain changes its state in memory and then writes it. If the write fails, memory is ahead of storage, and
/// the next call on the same activation would read a change that may never be stored, or store it later as if it had
/// succeeded. Dropping the activation makes the next call start from what storage really holds, so a failed write is
/// simply a call that did not happen, and the caller's retry (every write is idempotent) does it properly. Orleans
/// already deactivates on an ETag conflict; this extends the same rule to database, network and timeout failures,
/// whether the write runs in a call, a timer or a reminder. Grains therefore just call <c>WriteStateAsync</c>.
/// </remarks>
public sealed class FailedWritePolicy : IPersistentStateFactory
{
    private readonly PersistentStateFactory inner = new();

    public IPersistentState<TState> Create<TState>(IGrainContext context, IPersistentStateConfiguration cfg) =>
        new DeactivatingState<TState>(inner.Create<TState>(context, cfg), context);

    private sealed class DeactivatingState<TState>(IPersistentState<TState> state, IGrainContext context) : IPersistentState<TState>
    {
        public TState State
        {
            get => state.State;
            set => state.State = value;
        }

        public string? Etag => state.Etag;

        public bool RecordExists => state.RecordExists;

        public Task ReadStateAsync() => state.ReadStateAsync();

        public Task WriteStateAsync() => DeactivateOnFailureAsync(state.WriteStateAsync());

        public Task ClearStateAsync() => DeactivateOnFailureAsync(state.ClearStateAsync());

        private async Task DeactivateOnFailureAsync(Task storing)
        {
            try
            {
                await storing;
            }
            catch (Exception e)
            {
                // As DeactivateOnIdle does: calls already queued here move to the next activation instead of failing.
                context.Deactivate(new DeactivationReason(
                    DeactivationReasonCode.ApplicationRequested, $"A state write failed ({e.GetType().Name}); the in-memory state may be ahead of storage."));
                throw;
            }
        }
    }
}
