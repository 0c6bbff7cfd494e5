using FanForge.Silo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace FanForge.Tests.Infrastructure;

/// <summary>In-memory clusters wired as the real silo is (grain services, simulated chain), with per-test overrides.</summary>
public static class TestClusters
{
    public static async Task<InProcessTestCluster> StartAsync(int silos, AlgorandSettings algorand, Action<IServiceCollection>? overrides = null)
    {
        var builder = new InProcessTestClusterBuilder(initialSilosCount: (short)silos);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddFanForgeGrainServices().AddInMemoryProviders();
            silo.Services.AddFanForgeAlgorand(algorand);
            overrides?.Invoke(silo.Services);
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    /// <summary>
    /// Stops a cluster whose silos run on <paramref name="time"/>. Orleans' shutdown waits on the injected clock, so a
    /// fake clock nobody moves would hold the stop for its 30 s timeout: the clock moves on until the stop is done.
    /// </summary>
    public static async Task DisposeAsync(this InProcessTestCluster cluster, FakeTimeProvider time)
    {
        var stopping = cluster.DisposeAsync().AsTask();
        while (!stopping.IsCompleted)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(stopping, Task.Delay(50));
        }

        await stopping;
    }
}
