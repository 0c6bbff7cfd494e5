namespace FanForge.Tests.Postgres;

/// <summary>Counts its own reminder ticks in persisted state; only a tick can raise the count.</summary>
[Alias("ff.test.IReminderProbe")]
public interface IReminderProbe : IGrainWithStringKey
{
    [Alias("Start")]
    Task StartAsync(TimeSpan period);

    [Alias("Ticks")]
    Task<int> GetTicksAsync();

    [Alias("Stop")]
    Task StopAsync();
}

[GenerateSerializer, Alias("ff.test.ReminderProbeState")]
public sealed class ReminderProbeState
{
    [Id(0)]
    public int Ticks { get; set; }
}

[GrainType("ff.test.reminder-probe")]
public sealed class ReminderProbeGrain(
    [PersistentState("probe", FanForge.Grains.StorageNames.Default)] IPersistentState<ReminderProbeState> state)
    : Grain, IReminderProbe, IRemindable
{
    private const string ReminderName = "probe-tick";

    public Task StartAsync(TimeSpan period) => this.RegisterOrUpdateReminder(ReminderName, period, period);

    public Task<int> GetTicksAsync() => Task.FromResult(state.State.Ticks);

    public async Task StopAsync()
    {
        if (await this.GetReminder(ReminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        state.State.Ticks++;
        await state.WriteStateAsync();
    }
}
