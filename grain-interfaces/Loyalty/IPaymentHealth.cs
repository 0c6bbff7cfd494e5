using Orleans.Concurrency;

namespace FanForge.GrainInterfaces.Loyalty;

/// <summary>
/// Where payments are parked across the cluster (one grain, key <see cref="Key"/>): every creator journal reports its
/// parked consumers when that number changes, so operators see them in one place (<c>/listener/status</c>).
/// </summary>
[Alias("ff.IPaymentHealth")]
public interface IPaymentHealth : IGrainWithStringKey
{
    /// <summary>The only key.</summary>
    public const string Key = "cluster";

    /// <summary>A journal's parked consumers now (0 clears it) and the first one's reason. One-way: delivery never waits for this.</summary>
    [Alias("Report"), OneWay]
    Task ReportAsync(CreatorParked parked);

    /// <summary>Creators with parked payments, most parked first.</summary>
    [Alias("Get")]
    Task<IReadOnlyList<CreatorParked>> GetAsync();
}

/// <summary>One creator's parked consumers and why the first one is parked.</summary>
[GenerateSerializer, Immutable, Alias("ff.CreatorParked")]
public sealed record CreatorParked(
    [property: Id(0)] string Creator,
    [property: Id(1)] int Consumers,
    [property: Id(2)] string? Consumer,
    [property: Id(3)] string? Reason);
