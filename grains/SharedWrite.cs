namespace FanForge.Grains;

/// <summary>
/// Lets one hot grain acknowledge many calls with one durable write: each call changes the state in memory (in one
/// turn, with no await in between) and then awaits <see cref="PersistAsync"/>, which completes once a write that
/// began after that change has committed. Calls arriving while a write is in flight share the next one.
/// </summary>
/// <remarks>
/// <para>
/// Why: a non-reentrant grain writes once per call, so a grain every order of a creator reports to is capped at one
/// storage round trip per call (a few hundred a second), however many silos there are. This needs the grain to be
/// <c>[Reentrant]</c>; that is safe because every change is made synchronously before the await, so interleaving only
/// happens between whole changes, never inside one.
/// </para>
/// <para>
/// A failed write fails every call it covered and poisons the activation: the silo's failed-write policy
/// (<see cref="FailedWritePolicy"/>) deactivates it and, until it is gone, every call fails too. Otherwise a retry
/// arriving in between (the grain is reentrant) would find its change already in memory, count it as done and be
/// acknowledged without ever being stored.
/// </para>
/// </remarks>
public sealed class SharedWrite<T>(IPersistentState<T> state)
{
    private TaskCompletionSource? gathering;
    private bool writing;
    private Exception? failure;

    /// <summary>Throws if an earlier write failed: the in-memory state may hold changes that were never stored.</summary>
    public void ThrowIfPoisoned()
    {
        if (failure is not null)
        {
            throw new InvalidOperationException("A write of this activation failed; it is being deactivated, retry the call.", failure);
        }
    }

    /// <summary>Completes when the changes made so far are durable.</summary>
    public Task PersistAsync()
    {
        ThrowIfPoisoned();
        gathering ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var batch = gathering.Task;
        if (!writing)
        {
            _ = WriteLoopAsync();
        }

        return batch;
    }

    /// <summary>
    /// For a call that changed nothing (a repeat): completes at once when no write is pending or in flight (every
    /// earlier change is durable), else once the next write has committed, since the repeat's first change may be in it.
    /// </summary>
    public Task WhenDurableAsync()
    {
        ThrowIfPoisoned();
        return gathering is null && !writing ? Task.CompletedTask : PersistAsync();
    }

    private async Task WriteLoopAsync()
    {
        writing = true;
        try
        {
            while (gathering is { } batch)
            {
                gathering = null; // changes made from here on need the next write
                try
                {
                    await state.WriteStateAsync();
                    batch.SetResult();
                }
                catch (Exception ex)
                {
                    failure = ex;
                    batch.SetException(ex);
                    gathering?.SetException(ex);
                    gathering = null;
                    return;
                }
            }
        }
        finally
        {
            writing = false;
        }
    }
}
