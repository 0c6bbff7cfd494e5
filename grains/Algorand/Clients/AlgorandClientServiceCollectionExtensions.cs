using FanForge.Grains.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FanForge.Grains.Algorand.Clients;

public static class AlgorandClientServiceCollectionExtensions
{
    public const string AlgodHttpClientName = "algorand-algod";
    public const string IndexerHttpClientName = "algorand-indexer";

    /// <summary>
    /// Registers <see cref="IAlgodClient"/> and <see cref="IIndexerClient"/> as typed clients of the HTTP client factory,
    /// which recycles handlers so DNS changes of hosted nodes are picked up, each behind the outside-call pipeline
    /// (<see cref="ExternalHttpResilience"/>).
    /// </summary>
    public static IServiceCollection AddAlgorandNodeClients(this IServiceCollection services, AlgorandNodeOptions algod, AlgorandNodeOptions indexer)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(algod);
        ArgumentNullException.ThrowIfNull(indexer);
        algod.Validate();
        indexer.Validate();
        services.TryAddSingleton(TimeProvider.System);

        services.AddHttpClient(AlgodHttpClientName)
            .RedactLoggedHeaders(_ => true)
            .AddTypedClient<IAlgodClient>((http, sp) => new AlgodHttpClient(http, algod, sp.GetRequiredService<TimeProvider>()))
            .AddExternalResilience("algod", _ => algod.Budget, typeof(AlgodHttpClient), (response, ct) => NodeHttpSender.ReadErrorMessageAsync(response, algod.ApiToken, ct));
        services.AddHttpClient(IndexerHttpClientName)
            .RedactLoggedHeaders(_ => true)
            .AddTypedClient<IIndexerClient>((http, sp) => new IndexerHttpClient(http, indexer, sp.GetRequiredService<TimeProvider>()))
            .AddExternalResilience("indexer", _ => indexer.Budget, typeof(IndexerHttpClient), (response, ct) => NodeHttpSender.ReadErrorMessageAsync(response, indexer.ApiToken, ct));
        return services;
    }
}
