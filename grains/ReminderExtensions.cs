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

/// <summary>
/// One named reminder of one activation, remembering what this activation did with it: disarming a reminder it armed
/// itself needs no read of the reminder table (the handle from arming is kept), and disarming one it already disarmed
/// costs nothing. Only a fresh activation, which cannot know, asks the table first.
/// </summary>
/// <remarks>
/// Why: on PostgreSQL each reminder operation is its own round trip, and a paid order or a settled membership would
/// otherwise read the table just to learn what the same activation registered moments before. Safe because a grain has
/// one activation at a time and only it registers its reminders.
/// </remarks>
public sealed class ReminderSlot(IGrainBase grain, string name)
{
    private IGrainReminder? handle;
    private bool knownAbsent;

    public string Name => name;

    /// <summary>Registers or moves the reminder (<paramref name="due"/>, then every <paramref name="period"/>).</summary>
    public async Task ArmAsync(TimeSpan due, TimeSpan period)
    {
        // Unknown from here until the table answers: a registration whose reply is lost may still have landed.
        knownAbsent = false;
        handle = null;
        handle = await grain.RegisterOrUpdateReminder(name, due, period);
    }

    /// <summary>Removes the reminder if it is registered.</summary>
    public async Task DisarmAsync()
    {
        if (knownAbsent)
        {
            return;
        }

        if ((handle ?? await grain.GetReminder(name)) is { } reminder)
        {
            await grain.UnregisterReminder(reminder);
        }

        handle = null;
        knownAbsent = true;
    }
}
