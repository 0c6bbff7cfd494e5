using FanForge.Grains.Algorand;
using FanForge.Grains.Algorand.Clients;
using FanForge.Grains.Algorand.Simulation;
using FanForge.Grains.Chain;
using FanForge.GrainInterfaces.Chain;
using Microsoft.Extensions.DependencyInjection;

namespace FanForge.Silo;

/// <summary>The chain side of a silo: the platform account, the node (real or simulated), the chain follower.</summary>
public static class AlgorandHostingExtensions
{
    public static IServiceCollection AddFanForgeAlgorand(this IServiceCollection services, AlgorandSettings settings)
    {
        var platform = new PlatformAccount(new Ed25519TransactionSigner(settings.PlatformSeedBytes));
        services.AddSingleton(settings);
        services.AddSingleton(platform);
        services.Configure<ChainFollowerOptions>(o => o.PollInterval = settings.WatcherPollInterval);

        if (settings.Mode == AlgorandMode.Simulated)
        {
            services.AddOptions<SimulatedChainOptions>()
                .BindConfiguration(SimulatedChainOptions.SectionName)
                .PostConfigure(o => o.Platform = platform.Address)
                .ValidateDataAnnotations()
                .ValidateOnStart();
            services.AddSimulatedAlgorand();
            services.AddSingleton<ITipProxyPrograms, SimulatedTipProxyPrograms>();
        }
        else
        {
            services.AddAlgorandNodeClients(
                AlgorandNodeOptions.ForAlgod(settings.AlgodUrl!, settings.AlgodToken),
                AlgorandNodeOptions.ForIndexer(settings.IndexerUrl!, settings.IndexerToken));
            services.AddSingleton<ITipProxyPrograms, CompiledTipProxyPrograms>();
        }

        return services;
    }

    /// <summary>Every silo asks for the follower at start-up; it is one grain, so only the first call activates it.</summary>
    public static ISiloBuilder AddChainFollowerStartup(this ISiloBuilder silo) =>
        silo.AddStartupTask((services, _) => services.GetRequiredService<IGrainFactory>().GetGrain<IChainFollower>(IChainFollower.Key).EnsureRunningAsync());
}
