using FanForge.Silo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace FanForge.Tests.Infrastructure;

/// <summary>
/// One in-memory cluster (two silos, so placement across silos is exercised) shared by a test collection.
/// Tests use fresh grain keys, never each other's data. Time is a <see cref="FakeTimeProvider"/> the tests drive.
/// </summary>
public sealed class InProcessClusterFixture : IAsyncLifetime
{
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    public async Task InitializeAsync() =>
        Cluster = await TestClusters.StartAsync(2, new AlgorandSettings(), services => services.AddSingleton<TimeProvider>(Time));

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<InProcessClusterFixture>
{
    public const string Name = "In-process cluster";
}
