using FanForge.Grains.Algorand.Clients;
using Microsoft.Extensions.DependencyInjection;

namespace FanForge.Grains.Algorand.Simulation;

public static class SimulatedAlgorandServiceCollectionExtensions
{
    /// <summary>
    /// Points <see cref="IAlgodClient"/> and <see cref="IIndexerClient"/> at the simulated ledger grain. The caller binds
    /// <see cref="SimulatedChainOptions"/> (section <see cref="SimulatedChainOptions.SectionName"/>) on the silo.
    /// </summary>
    public static IServiceCollection AddSimulatedAlgorand(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<IAlgodClient>(sp => new SimulatedAlgodClient(sp.GetRequiredService<IGrainFactory>()));
        services.AddSingleton<IIndexerClient>(sp => new SimulatedIndexerClient(sp.GetRequiredService<IGrainFactory>()));
        return services;
    }
}
