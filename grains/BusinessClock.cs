namespace FanForge.Grains;

/// <summary>
/// The clock the business rules read (membership expiry, order payment windows, on-ramp order times, the simulated
/// ledger's block times). By default it is the host's <see cref="TimeProvider"/>; development and tests move it ahead
/// without moving the clock the Orleans runtime itself runs on, which would see a jump of days as every timeout and
/// idle period elapsing at once.
/// </summary>
public sealed class BusinessClock(TimeProvider source) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => source.GetUtcNow();

    public override long GetTimestamp() => source.GetTimestamp();

    public override long TimestampFrequency => source.TimestampFrequency;
}
