using FanForge.Grains.Algorand;
using FanForge.Grains.Algorand.Clients;
using FanForge.Grains.Algorand.Simulation;
using FanForge.Grains.Chain;
using FanForge.GrainInterfaces.Chain;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FanForge.Silo;

/// <summary>The chain side of a silo: the platform account, the node (real or simulated), the chain follower.</summary>
public static class AlgorandHostingExtensions
{
    /// <param name="services">The silo's services.</param>
    /// <param name="settings">Section <c>Algorand</c>.</param>
    /// <param name="durableLedgerByDefault">
    /// Whether the simulated ledger keeps its chain in grain storage unless <c>Algorand:Simulation:Durable</c> says
    /// otherwise: true on a PostgreSQL cluster, whose storage outlives silos.
    /// </param>
    public static IServiceCollection AddFanForgeAlgorand(this IServiceCollection services, AlgorandSettings settings, bool durableLedgerByDefault = false)
    {
        var platform = new PlatformAccount(new Ed25519TransactionSigner(settings.PlatformSeedBytes));
        services.AddSingleton(settings);
        services.AddSingleton(platform);
        // The follower has no section of its own: its poll interval is Algorand:WatcherPollInterval, the rest are
        // code defaults (tests shorten them); the ranges are still checked on start like every section's.
        services.AddOptions<ChainFollowerOptions>()
            .Configure(o => o.PollInterval = settings.WatcherPollInterval)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        if (settings.Mode == AlgorandMode.Simulated)
        {
            // The durable default comes first, so the section can still override it.
            services.AddOptions<SimulatedChainOptions>().Configure(o => o.Durable = durableLedgerByDefault);
            services.AddValidatedOptions<SimulatedChainOptions>(SimulatedChainOptions.SectionName)
                .PostConfigure(o => o.Platform = platform.Address);
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

    /// <summary>
    /// Every silo asks for the follower at start-up; it is one grain, so only the first call activates it. The call may
    /// reach another silo, and if that silo dies before answering, the call fails: that must not fail this silo's start,
    /// or a failover would shut the survivor down too (startup tasks run at the Active stage, and a failure there stops
    /// the host). The follower's own watchdog reminder activates it again, wherever it is, within its period.
    /// </summary>
    public static ISiloBuilder AddChainFollowerStartup(this ISiloBuilder silo) =>
        silo.AddStartupTask(async (services, _) =>
        {
            try
            {
                await services.GetRequiredService<IGrainFactory>().GetGrain<IChainFollower>(IChainFollower.Key).EnsureRunningAsync();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AlgorandHostingExtensions))
                    .LogWarning(e, "Could not reach the chain follower at start-up; its watchdog reminder starts it.");
            }
        });
}
