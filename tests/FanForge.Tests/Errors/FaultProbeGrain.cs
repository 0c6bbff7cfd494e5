using FanForge.GrainInterfaces.Errors;

namespace FanForge.Tests.Errors;

/// <summary>A grain that fails on request, to see what its caller receives.</summary>
[Alias("ff.test.IFaultProbe")]
public interface IFaultProbe : IGrainWithStringKey
{
    /// <summary>Throws the failure named by <paramref name="kind"/> (see <see cref="FaultProbeGrain"/>).</summary>
    [Alias("Fail")]
    Task FailAsync(string kind);
}

/// <summary>
/// Stands in for a driver's exception (Npgsql's): declared here without a codec, it carries a secret in its message
/// as a connection failure may.
/// </summary>
public sealed class DriverLikeException(string message, Exception? inner = null) : Exception(message, inner);

[GrainType("ff.test.fault-probe")]
public sealed class FaultProbeGrain : Grain, IFaultProbe
{
    public const string Secret = "Host=db;Password=hunter2";

    public Task FailAsync(string kind) => kind switch
    {
        "driver" => throw new DriverLikeException("connection refused: " + Secret),
        "wrapped-driver" => throw new InvalidOperationException("storage failed", new DriverLikeException(Secret)),
        "timeout" => throw new TimeoutException("read timed out: " + Secret),
        "domain" => throw DomainException.Conflict("probe_conflict", "A domain refusal."),
        "bug" => throw new InvalidOperationException("a bug"),
        _ => Task.CompletedTask,
    };
}
