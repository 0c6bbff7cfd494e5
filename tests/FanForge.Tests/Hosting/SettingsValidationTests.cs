using FanForge.Api.Auth;
using FanForge.Api.Hosting;
using FanForge.Api.Ipfs;
using FanForge.Api.Payments;
using FanForge.Grains.Algorand.Clients;
using FanForge.Grains.Algorand.Simulation;
using FanForge.Grains.Chain;
using FanForge.Grains.Loyalty;
using FanForge.Grains.Merch;
using FanForge.Grains.Nfts;
using FanForge.Grains.Onramp;
using FanForge.Grains.Payouts;
using FanForge.Silo;
using FanForge.Silo.Storage;
using FanForge.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FanForge.Tests.Hosting;

/// <summary>
/// Every settings class is bound and checked the same way, on start: the real API host started with one bad value of
/// each class must refuse to start, naming the key. A settings class added without a row here fails the census.
/// </summary>
public sealed class SettingsValidationTests
{
    /// <summary>One bad value of one settings class, and the text the refusal must contain to name its key.</summary>
    public sealed record BadValue(Type Settings, string Key, string Value, string Names, string Environment = "Development")
    {
        /// <summary>A settings class with no section of its own is given its bad value the way tests override it.</summary>
        public Action<IServiceCollection>? Override { get; init; }

        public override string ToString() => $"{Settings.Name}: {Key}={Value}";
    }

    /// <summary>Classes named *Settings or *Options that are not bound from configuration, and why.</summary>
    private static readonly Dictionary<Type, string> NotConfiguration = new()
    {
        [typeof(AlgorandNodeOptions)] = "built in code from AlgorandSettings, and validated where it is built",
    };

    private static readonly BadValue[] Rows =
    [
        new(typeof(AuthSettings), "Auth:AccessTokenLifetime", "00:00:05", "AccessTokenLifetime"),
        new(typeof(RateLimitSettings), "RateLimits:ChallengePerMinutePerIp", "0", "ChallengePerMinutePerIp"),
        new(typeof(ApiSettings), "Api:DefaultUrl", "", "DefaultUrl"),
        new(typeof(CorsSettings), "Cors:AllowedOrigins:0", "*", "Cors:AllowedOrigins", "Production"),
        new(typeof(ForwardedHeadersSettings), "ForwardedHeaders:KnownProxies:0", "proxy.internal", "ForwardedHeaders:KnownProxies:0"),
        new(typeof(MetricsSettings), "Metrics:Enabled", "sometimes", "Metrics:Enabled"),
        new(typeof(IpfsSettings), "Ipfs:TimeoutSeconds", "60", "TimeoutSeconds"),
        new(typeof(StripeSettings), "Stripe:Currency", "USD", "Stripe:Currency"),
        new(typeof(TransakSettings), "Transak:MaxFiatAmount", "0", "MaxFiatAmount"),
        new(typeof(MintRetryOptions), "Nfts:MintRetry:MaxDelay", "00:00:02", "Nfts:MintRetry:MaxDelay"),
        new(typeof(PayoutOptions), "Payouts:CheckInterval", "00:00:00", "CheckInterval"),
        new(typeof(MerchOptions), "Merch:PaymentWindow", "00:00:00", "PaymentWindow"),
        new(typeof(LoyaltyOptions), "Loyalty:BadgeInterval", "0", "BadgeInterval"),
        new(typeof(ChainFollowerOptions), "(code)", "PageSize=0", "PageSize")
        {
            Override = services => services.Configure<ChainFollowerOptions>(o => o.PageSize = 0),
        },
        new(typeof(SimulatedChainOptions), "Algorand:Simulation:GenesisHash", "not-a-hash", "GenesisHash"),
        new(typeof(ClusterSettings), "Cluster:AdvertisedAddress", "silo-1.internal", "Cluster:AdvertisedAddress"),
        new(typeof(GroupCommitStorageOptions), "Storage:GroupCommit:MaxBatchSize", "0", "MaxBatchSize"),
        new(typeof(AlgorandSettings), "Algorand:PlatformSeed", "c2hvcnQ=", "Algorand:PlatformSeed"),
        new(typeof(DashboardSettings), "Dashboard:Enabled", "sometimes", "Dashboard:Enabled"),
    ];

    public static TheoryData<BadValue> BadValues() => new(Rows);

    [Fact]
    public void Every_settings_class_has_a_bad_value_here()
    {
        var found = new[] { typeof(Program).Assembly, typeof(ClusterSettings).Assembly, typeof(MerchOptions).Assembly }
            .SelectMany(a => a.GetTypes())
            .Where(t => t is { IsClass: true, IsAbstract: false } && t.Namespace?.StartsWith("FanForge", StringComparison.Ordinal) == true
                && (t.Name.EndsWith("Settings", StringComparison.Ordinal) || t.Name.EndsWith("Options", StringComparison.Ordinal)))
            .Except(NotConfiguration.Keys)
            .ToHashSet();

        Assert.Empty(found.Except(Rows.Select(r => r.Settings)).Select(t => t.Name));
        Assert.Empty(Rows.Select(r => r.Settings).Except(found).Select(t => t.Name));
    }

    [Theory]
    [MemberData(nameof(BadValues))]
    public void A_bad_value_stops_the_start_naming_its_key(BadValue bad)
    {
        var settings = bad.Environment == "Production" ? ProductionSettings() : DevelopmentSettings();
        if (bad.Settings == typeof(GroupCommitStorageOptions))
        {
            // Group commit is the storage of a PostgreSQL cluster; nothing listens on port 1, and nothing gets that far.
            settings["Cluster:Provider"] = "Postgres";
            settings["ConnectionStrings:Postgres"] = "Host=127.0.0.1;Port=1;Database=fanforge;Username=fanforge;Password=x;Timeout=1";
        }

        if (bad.Override is null)
        {
            settings[bad.Key] = bad.Value;
        }

        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment(bad.Environment);
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            if (bad.Override is { } change)
            {
                builder.ConfigureTestServices(change);
            }
        });

        var failure = Record.Exception(() => factory.Server);

        Assert.NotNull(failure);
        var refusal = Unwrap(failure);
        // Validation names the key; a value that is not even of the key's type fails binding, which names it too.
        if (refusal is OptionsValidationException invalid)
        {
            Assert.Equal(bad.Settings, invalid.OptionsType);
        }
        else
        {
            Assert.True(refusal is InvalidOperationException && refusal.Message.Contains("Failed to convert", StringComparison.Ordinal), $"{bad}: {refusal}");
        }

        Assert.Contains(bad.Names, refusal.Message, StringComparison.Ordinal);
    }

    private static Exception Unwrap(Exception failure)
    {
        for (var e = failure; e is not null; e = e.InnerException)
        {
            if (e is OptionsValidationException)
            {
                return e;
            }
        }

        return failure is AggregateException { InnerException: { } inner } ? inner : failure;
    }

    private static Dictionary<string, string?> DevelopmentSettings() => new()
    {
        ["Cluster:ClusterId"] = "settings-" + Guid.NewGuid().ToString("N")[..8],
        ["Cluster:SiloPort"] = PostgresServer.FreeTcpPort().ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Cluster:GatewayPort"] = PostgresServer.FreeTcpPort().ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Dashboard:Enabled"] = "false",
    };

    /// <summary>A complete production configuration (as the production guard tests use), a client of an absent database.</summary>
    private static Dictionary<string, string?> ProductionSettings() => new()
    {
        ["Cluster:Provider"] = "Postgres",
        ["Cluster:ClusterId"] = "settings-" + Guid.NewGuid().ToString("N")[..8],
        ["ConnectionStrings:Postgres"] = "Host=127.0.0.1;Port=1;Database=fanforge;Username=fanforge;Password=x;Timeout=1",
        ["Api:Hosting"] = "Client",
        ["Auth:JwtSigningKey"] = "prod-signing-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        ["Cors:AllowedOrigins:0"] = "https://app.fanforge.example",
        ["Dashboard:Enabled"] = "false",
    };
}
