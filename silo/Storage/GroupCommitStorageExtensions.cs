using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration.Overrides;
using Orleans.Runtime.Hosting;

namespace FanForge.Silo.Storage;

/// <summary>Registers <see cref="PostgresGroupCommitStorage"/> as a named Orleans grain storage provider.</summary>
public static class GroupCommitStorageExtensions
{
    /// <summary>
    /// Adds the group-commit provider under <paramref name="name"/>, with options bound from
    /// <see cref="GroupCommitStorageOptions.SectionName"/> and validated when the host starts.
    /// </summary>
    public static ISiloBuilder AddPostgresGroupCommitGrainStorage(this ISiloBuilder silo, string name, string connectionString)
    {
        silo.Services.AddOptions<GroupCommitStorageOptions>(name)
            .BindConfiguration(GroupCommitStorageOptions.SectionName)
            .Configure(o => o.ConnectionString = connectionString)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // The cluster options a provider sees may be overridden per provider name, as for Orleans' own providers.
        silo.Services.AddGrainStorage(name, (services, providerName) =>
            ActivatorUtilities.CreateInstance<PostgresGroupCommitStorage>(services, providerName, services.GetProviderClusterOptions(providerName)));
        return silo;
    }
}
