namespace FanForge.Api.Hosting;

/// <summary>
/// The wall clock plus an offset that only moves forward: in development the whole co-hosted process (grains, the
/// simulated ledger, token lifetimes) can be sent into the future to watch memberships expire. Never registered in
/// production (simulation endpoints are refused there).
/// </summary>
internal sealed class DevelopmentClock(TimeProvider wall) : TimeProvider
{
    private long offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref offsetTicks));

    public override DateTimeOffset GetUtcNow() => wall.GetUtcNow() + Offset;

    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        Interlocked.Add(ref offsetTicks, by.Ticks);
    }
}
