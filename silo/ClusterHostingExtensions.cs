using System.Net;
using FanForge.GrainInterfaces.Audit;
using FanForge.Grains;
using FanForge.Grains.Audit;
using FanForge.Grains.Loyalty;
using FanForge.Grains.Merch;
using FanForge.Grains.Nfts;
using FanForge.Grains.Payouts;
using FanForge.Silo.Schema;
using FanForge.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Configuration;
using Npgsql;
using Orleans.Configuration;
using Orleans.Dashboard;

namespace FanForge.Silo;

/// <summary>Wires a silo or a cluster client from <see cref="ClusterSettings"/>; the only place that knows providers.</summary>
public static class ClusterHostingExtensions
{
    // Orleans' ADO.NET providers load the driver by this invariant name; the default would be SQL Server's.
    public const string NpgsqlInvariant = "Npgsql";

    /// <summary>Adds a silo to the host: in-memory in development, PostgreSQL ADO.NET providers otherwise.</summary>
    public static ClusterSettings AddFanForgeSilo(this IHostApplicationBuilder builder)
    {
        var settings = builder.AddClusterSettings();
        var dashboard = builder.AddDashboardSettings();
        builder.Services.AddValidatedOptions<AlgorandSettings, AlgorandSettingsRules>(AlgorandSettings.SectionName);
        builder.Services.AddFanForgeAlgorand(
            AlgorandSettings.Load(builder.Configuration, builder.Environment), durableLedgerByDefault: settings.Provider == ClusterProvider.Postgres);

        if (settings.Provider == ClusterProvider.Postgres)
        {
            builder.Services.AddFanForgeDataSource(settings);
            builder.Services.AddSingleton<PostgresFanCreatorIndex>();
            builder.Services.AddSingleton<IFanCreatorIndex>(sp => sp.GetRequiredService<PostgresFanCreatorIndex>());
            builder.Services.AddSingleton<IAuditTrail, PostgresAuditTrail>();
            if (settings.MigrateOnStartup)
            {
                builder.Services.AddSingleton<SchemaMigrator>();
                builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, SchemaMigrationParticipant>();
            }
        }

        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = settings.ClusterId;
                o.ServiceId = settings.ServiceId;
            });
            silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = settings.MinimumReminderPeriod);
            silo.AddFanForgeGrainServices().AddChainFollowerStartup();
            if (TelemetryHostingExtensions.TracingEnabled(builder.Configuration))
            {
                // Grain calls carry the caller's trace context (and become spans): off unless traces are exported.
                silo.AddActivityPropagation();
            }

            if (dashboard.Enabled)
            {
                // Every silo collects the dashboard's statistics, whichever process (co-hosted or client API) shows them.
                silo.AddDashboard();
            }

            if (settings.Provider == ClusterProvider.Postgres)
            {
                ConfigureEndpoints(silo, settings);
                silo.UseAdoNetClustering(o =>
                {
                    o.Invariant = NpgsqlInvariant;
                    o.ConnectionString = settings.ConnectionString;
                });
                if (settings.GrainStorage == GrainStorageKind.GroupCommit)
                {
                    silo.AddPostgresGroupCommitGrainStorage(StorageNames.Default, settings.ConnectionString!);
                }
                else
                {
                    silo.AddAdoNetGrainStorage(StorageNames.Default, o =>
                    {
                        o.Invariant = NpgsqlInvariant;
                        o.ConnectionString = settings.ConnectionString;
                    });
                }

                silo.UseAdoNetReminderService(o =>
                {
                    o.Invariant = NpgsqlInvariant;
                    o.ConnectionString = settings.ConnectionString;
                });
            }
            else
            {
                silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort);
                silo.AddInMemoryProviders();
            }
        });

        return settings;
    }

    /// <summary>What every silo needs whatever its providers: the storage serializer and shared services.</summary>
    public static ISiloBuilder AddFanForgeGrainServices(this ISiloBuilder silo)
    {
        // State is stored as plain JSON without CLR type names, so it outlives class renames and reads in psql.
        // Memory storage serialises too, so in-memory tests catch state that JSON cannot round-trip.
        silo.UseSystemTextJsonGrainStorageSerializer();
        // Whatever a grain throws reaches its caller in a form the caller can read (a pure client lacks Npgsql's codecs).
        silo.AddIncomingGrainCallFilter<GrainBoundaryExceptionFilter>();
        // One policy for a failed state write, for every grain: the activation is dropped (see FailedWritePolicy).
        silo.Services.AddSingleton<IPersistentStateFactory, FailedWritePolicy>();
        // Grain references are made per call on the payment path; Orleans would resolve their interface type each time.
        CachedGrainInterfaceTypes.AddTo(silo.Services);
        silo.Services.TryAddSingleton(TimeProvider.System);
        silo.Services.TryAddSingleton(sp => new BusinessClock(sp.GetRequiredService<TimeProvider>()));
        // A PostgreSQL cluster registers its table first; anything else keeps the index in grains.
        silo.Services.TryAddSingleton<IFanCreatorIndex, GrainFanCreatorIndex>();
        // Likewise the audit trail: a table on PostgreSQL, one grain otherwise.
        silo.Services.TryAddSingleton<IAuditTrail, GrainAuditTrail>();
        silo.Services.AddValidatedOptions<MerchOptions>(MerchOptions.SectionName);
        silo.Services.AddValidatedOptions<LoyaltyOptions, LoyaltyOptionsRules>(LoyaltyOptions.SectionName);
        silo.Services.AddValidatedOptions<MintRetryOptions, MintRetryOptionsRules>(MintRetryOptions.SectionName);
        silo.Services.AddValidatedOptions<PayoutOptions>(PayoutOptions.SectionName);
        // The Transak access-token grain refreshes from whichever silo it lives on.
        silo.Services.AddTransakPartnerClient();
        return silo;
    }

    /// <summary>Storage and reminders in process memory: development and grain tests.</summary>
    public static ISiloBuilder AddInMemoryProviders(this ISiloBuilder silo)
    {
        silo.AddMemoryGrainStorage(StorageNames.Default);
        silo.UseInMemoryReminderService();
        return silo;
    }

    /// <summary>Adds an Orleans client that reaches an existing cluster through its gateways.</summary>
    public static ClusterSettings AddFanForgeClusterClient(this IHostApplicationBuilder builder)
    {
        var settings = builder.AddClusterSettings();
        var dashboard = builder.AddDashboardSettings();
        builder.Services.TryAddSingleton(TimeProvider.System);
        if (settings.Provider == ClusterProvider.Postgres)
        {
            builder.Services.AddFanForgeDataSource(settings);
            // The API records its audit entries itself, on the cluster's database.
            builder.Services.AddSingleton<IAuditTrail, PostgresAuditTrail>();
        }
        else
        {
            builder.Services.AddSingleton<IAuditTrail, GrainAuditTrail>();
        }

        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = settings.ClusterId;
                o.ServiceId = settings.ServiceId;
            });
            if (TelemetryHostingExtensions.TracingEnabled(builder.Configuration))
            {
                client.AddActivityPropagation();
            }

            CachedGrainInterfaceTypes.AddTo(client.Services);
            if (settings.Provider == ClusterProvider.Postgres)
            {
                client.UseAdoNetClustering(o =>
                {
                    o.Invariant = NpgsqlInvariant;
                    o.ConnectionString = settings.ConnectionString;
                });
            }
            else
            {
                client.UseLocalhostClustering(settings.GatewayPort, settings.ServiceId, settings.ClusterId);
            }

            if (dashboard.Enabled)
            {
                // A client-mode API serves the dashboard too, reading the statistics the silos collect.
                client.AddDashboard();
            }
        });

        return settings;
    }

    /// <summary>Host-wide JSON logs outside development, so ops can ship them without parsing prose.</summary>
    public static void AddFanForgeLogging(this IHostApplicationBuilder builder)
    {
        if (!builder.Environment.IsDevelopment() && builder.Configuration["Logging:Format"] != "text")
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole(o => o.UseUtcTimestamp = true);
        }
    }

    /// <summary>The cluster settings, read now (providers are chosen from them) and registered to be checked on start too.</summary>
    private static ClusterSettings AddClusterSettings(this IHostApplicationBuilder builder)
    {
        var settings = ClusterSettings.Load(builder.Configuration, builder.Environment);
        builder.Services.AddSingleton(settings);
        builder.Services.AddValidatedOptions<ClusterSettings, ClusterSettingsRules>(ClusterSettings.SectionName)
            .Configure<IConfiguration>((s, configuration) => s.ConnectionString ??= configuration.GetConnectionString(ClusterSettings.ConnectionStringName));
        return settings;
    }

    /// <summary>The dashboard switch, read now (it decides what the silo or client adds) and registered to be checked on start too.</summary>
    private static DashboardSettings AddDashboardSettings(this IHostApplicationBuilder builder)
    {
        var settings = DashboardSettings.Load(builder.Configuration);
        builder.Services.AddValidatedOptions<DashboardSettings>(DashboardSettings.SectionName);
        return settings;
    }

    private static void AddFanForgeDataSource(this IServiceCollection services, ClusterSettings settings) =>
        services.AddSingleton(_ => NpgsqlDataSource.Create(settings.ConnectionString!));

    private static void ConfigureEndpoints(ISiloBuilder silo, ClusterSettings settings)
    {
        if (settings.AdvertisedAddress is { Length: > 0 } address)
        {
            silo.ConfigureEndpoints(IPAddress.Parse(address), settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: true);
        }
        else
        {
            silo.ConfigureEndpoints(settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: true);
        }
    }
}
