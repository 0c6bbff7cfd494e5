namespace FanForge.Api.Hosting;

/// <summary>
/// The wall clock plus an offset that only moves forward. A co-hosted API with simulation endpoints builds the silo's
/// <c>BusinessClock</c> on it, so <c>POST /simulate/clock/advance</c> sends the business rules
/// (membership expiry, order payment windows, the simulated ledger's block times) into the future to watch memberships
/// expire; the Orleans runtime, token lifetimes and rate limits keep the real clock. Never registered in production
/// (simulation endpoints are refused there) nor on a client-mode API (a client cannot move the silos' clocks).
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
