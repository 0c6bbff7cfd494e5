using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FanForge.Grains.Algorand.Clients;

public static class AlgorandClientServiceCollectionExtensions
{
    public const string AlgodHttpClientName = "algorand-algod";
    public const string IndexerHttpClientName = "algorand-indexer";

    /// <summary>
    /// Registers <see cref="IAlgodClient"/> and <see cref="IIndexerClient"/> as typed clients of the HTTP client factory,
    /// which recycles handlers so DNS changes of hosted nodes are picked up.
    /// </summary>
    public static IServiceCollection AddAlgorandNodeClients(this IServiceCollection services, AlgorandNodeOptions algod, AlgorandNodeOptions indexer)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(algod);
        ArgumentNullException.ThrowIfNull(indexer);
        algod.Validate();
        indexer.Validate();
        services.TryAddSingleton(TimeProvider.System);

        var algodBuilder = services.AddHttpClient(AlgodHttpClientName, ConfigureClient)
            .RedactLoggedHeaders(_ => true)
            .AddTypedClient<IAlgodClient>((http, sp) => new AlgodHttpClient(http, algod, sp.GetRequiredService<TimeProvider>()));
        algodBuilder.AddResilienceHandler(AlgodHttpClientName, (pipeline, context) =>
            AlgorandResiliencePipeline.Configure(pipeline, context, "algod", algod, typeof(AlgodHttpClient)));
        algodBuilder.AddHttpMessageHandler(() => new BufferBodyHandler());
        var indexerBuilder = services.AddHttpClient(IndexerHttpClientName, ConfigureClient)
            .RedactLoggedHeaders(_ => true)
            .AddTypedClient<IIndexerClient>((http, sp) => new IndexerHttpClient(http, indexer, sp.GetRequiredService<TimeProvider>()));
        indexerBuilder.AddResilienceHandler(IndexerHttpClientName, (pipeline, context) =>
            AlgorandResiliencePipeline.Configure(pipeline, context, "indexer", indexer, typeof(IndexerHttpClient)));
        indexerBuilder.AddHttpMessageHandler(() => new BufferBodyHandler());
        return services;
    }

    // The resilience pipeline owns every timeout (per attempt and per call); HttpClient's own would cut long polls short.
    private static void ConfigureClient(HttpClient http) => http.Timeout = Timeout.InfiniteTimeSpan;
}
