using FanForge.Silo;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;

namespace FanForge.Tests.Hosting;

public sealed class ClusterSettingsTests
{
    private static ClusterSettings Load(string environment, params (string Key, string Value)[] values)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build();
        return ClusterSettings.Load(configuration, new HostingEnvironment { EnvironmentName = environment });
    }

    [Fact]
    public void ClusterSettings_default_to_the_in_memory_development_cluster()
    {
        var settings = Load(Environments.Development);

        Assert.Equal(ClusterProvider.Development, settings.Provider);
        Assert.Equal(11111, settings.SiloPort);
        Assert.Equal(30000, settings.GatewayPort);
        Assert.Equal(TimeSpan.FromMinutes(1), settings.MinimumReminderPeriod);
        Assert.Equal(GrainStorageKind.GroupCommit, settings.GrainStorage);
    }

    [Fact]
    public void ClusterSettings_refuse_the_development_cluster_in_production()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Load(Environments.Production));

        Assert.Contains("Production refuses the in-memory development cluster", error.Message);
    }

    [Fact]
    public void ClusterSettings_refuse_postgres_without_a_connection_string()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Load(Environments.Production, ("Cluster:Provider", "Postgres")));

        Assert.Contains("ConnectionStrings:Postgres", error.Message);
    }

    [Theory]
    [InlineData("Cluster:SiloPort", "0")]
    [InlineData("Cluster:GatewayPort", "70000")]
    [InlineData("Cluster:AdvertisedAddress", "silo-1.internal")]
    [InlineData("Cluster:ClusterId", "")]
    [InlineData("Cluster:GrainStorage", "Bogus")]
    [InlineData("Cluster:GrainStorage", "7")]
    public void ClusterSettings_refuse_invalid_values(string key, string value)
    {
        var error = Record.Exception(() => Load(Environments.Development, (key, value)));

        // A value out of range or against a rule fails validation; one that is not even of the type fails binding.
        Assert.True(error is OptionsValidationException or InvalidOperationException, $"got {error?.GetType().Name ?? "no error"}");
        Assert.Contains(key.Split(':')[^1], error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ClusterSettings_read_postgres_settings_and_the_connection_string()
    {
        var settings = Load(
            Environments.Production,
            ("Cluster:Provider", "Postgres"),
            ("Cluster:ClusterId", "blue"),
            ("Cluster:AdvertisedAddress", "10.0.0.7"),
            ("Cluster:GrainStorage", "AdoNet"),
            ("ConnectionStrings:Postgres", "Host=db;Database=fanforge"));

        Assert.Equal(ClusterProvider.Postgres, settings.Provider);
        Assert.Equal(GrainStorageKind.AdoNet, settings.GrainStorage);
        Assert.Equal("blue", settings.ClusterId);
        Assert.Equal("Host=db;Database=fanforge", settings.ConnectionString);
    }
}
