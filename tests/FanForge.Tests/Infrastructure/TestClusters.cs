using FanForge.Silo;
using Microsoft.Extensions.DependencyInjection;
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
}
