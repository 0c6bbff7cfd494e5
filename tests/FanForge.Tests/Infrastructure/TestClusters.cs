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
    public static Task DisposeAsync(this InProcessTestCluster cluster, FakeTimeProvider time) =>
        time.AdvanceUntilAsync(cluster.DisposeAsync().AsTask());

    /// <summary>
    /// Awaits <paramref name="work"/> while moving <paramref name="time"/> a second every 50 ms, for work that waits on
    /// that clock (a host's shutdown, a retry's back-off) and would otherwise wait for a test that is itself waiting.
    /// </summary>
    public static async Task<T> AdvanceUntilAsync<T>(this FakeTimeProvider time, Task<T> work)
    {
        await time.AdvanceUntilAsync((Task)work);
        return await work;
    }

    /// <inheritdoc cref="AdvanceUntilAsync{T}(FakeTimeProvider, Task{T})"/>
    public static async Task AdvanceUntilAsync(this FakeTimeProvider time, Task work)
    {
        while (!work.IsCompleted)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(work, Task.Delay(50));
        }

        await work;
    }
}
