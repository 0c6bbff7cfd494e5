namespace FanForge.Grains;

public static class PersistentStateExtensions
{
    /// <summary>
    /// Stores the state; if that fails, the change exists only in memory, so the activation is dropped (through
    /// <paramref name="deactivateOnIdle"/>, the grain's own) and the next call reads what was really stored.
    /// </summary>
    public static async Task WriteOrDeactivateAsync<T>(this IPersistentState<T> state, Action deactivateOnIdle)
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            deactivateOnIdle();
            throw;
        }
    }
}
