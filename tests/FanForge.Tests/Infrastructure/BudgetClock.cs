using Microsoft.Extensions.Time.Testing;

namespace FanForge.Tests.Infrastructure;

/// <summary>Drives a <see cref="FakeTimeProvider"/> under a call whose budget runs on it.</summary>
public static class BudgetClock
{
    /// <summary>
    /// Moves <paramref name="clock"/> forward in small steps, letting the call's timers register and fire as they would,
    /// until <paramref name="until"/> has passed since the call started, and reports whether the call is still running.
    /// A timer set late (a slow machine) fires late on the fake clock, never early, so "still running" is a sound
    /// check that the call did not give up before the budget.
    /// </summary>
    public static async Task<bool> StillRunningAfterAsync(this FakeTimeProvider clock, Task call, DateTimeOffset started, TimeSpan until)
    {
        while (clock.GetUtcNow() - started < until && !call.IsCompleted)
        {
            clock.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(5);
        }

        return !call.IsCompleted;
    }
}
