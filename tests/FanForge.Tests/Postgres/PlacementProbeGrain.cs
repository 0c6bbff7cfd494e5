using Orleans.Placement;

namespace FanForge.Tests.Postgres;

/// <summary>
/// A counter kept only in its activation, placed at random: a test that wants grains on every silo cannot rely on
/// the default placement, which weighs each silo's load and, on a busy machine, may put a long run on one silo.
/// Reading the count from another silo shows that every silo reaches the same activation.
/// </summary>
[Alias("ff.test.IPlacementProbe")]
public interface IPlacementProbe : IGrainWithStringKey
{
    [Alias("Increment")]
    Task<int> IncrementAsync();

    [Alias("Get")]
    Task<int> GetAsync();
}

[RandomPlacement]
[GrainType("ff.test.placement-probe")]
public sealed class PlacementProbeGrain : Grain, IPlacementProbe
{
    private int count;

    public Task<int> IncrementAsync() => Task.FromResult(++count);

    public Task<int> GetAsync() => Task.FromResult(count);
}
