namespace FanForge.Grains;

/// <summary>Reminder housekeeping shared by the grains that arm a follow-up reminder until their work is done.</summary>
public static class ReminderExtensions
{
    /// <summary>Removes the reminder if it is registered (asking first keeps a repeated call to a single read).</summary>
    public static async Task UnregisterReminderIfAnyAsync(this IGrainBase grain, string name)
    {
        if (await grain.GetReminder(name) is { } reminder)
        {
            await grain.UnregisterReminder(reminder);
        }
    }
}
