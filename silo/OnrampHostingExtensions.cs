using FanForge.Grains.Http;
using FanForge.Grains.Onramp;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FanForge.Silo;

/// <summary>Transak's partner client, wherever it is called: on silos (the access-token grain) and on API nodes.</summary>
public static class OnrampHostingExtensions
{
    public static IServiceCollection AddTransakPartnerClient(this IServiceCollection services)
    {
        // A co-hosted API is a silo too: register once whichever side comes first.
        if (services.Any(d => d.ServiceType == typeof(TransakPartnerClient)))
        {
            return services;
        }

        services.AddValidatedOptions<TransakSettings, TransakSettingsRules>(TransakSettings.SectionName);
        services.AddHttpClient(TransakPartnerClient.HttpClientName)
            .RedactLoggedHeaders(_ => true)
            .AddExternalResilience("transak", _ => TransakPartnerClient.Budget, typeof(TransakPartnerClient));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<TransakPartnerClient>();
        return services;
    }
}
