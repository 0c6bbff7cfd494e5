using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FanForge.Silo;

/// <summary>Where the cluster keeps membership, grain state and reminders.</summary>
public enum ClusterProvider
{
    /// <summary>One process, localhost clustering, memory storage and reminders: data dies with the process.</summary>
    Development,

    /// <summary>Orleans ADO.NET clustering, storage and reminders on PostgreSQL (Npgsql).</summary>
    Postgres,
}

/// <summary>Which grain storage provider the PostgreSQL cluster persists grain state with.</summary>
/// <remarks>Both use the same table and row format, so a deployment can switch either way without migrating data.</remarks>
public enum GrainStorageKind
{
    /// <summary>FanForge's PostgreSQL group-commit provider: concurrent writes of many grains share one transaction.</summary>
    GroupCommit,

    /// <summary>Orleans' stock ADO.NET provider: one transaction (and one WAL flush) per write; the fallback.</summary>
    AdoNet,
}

/// <summary>Cluster configuration, section <c>Cluster</c>, plus <c>ConnectionStrings:Postgres</c>.</summary>
public sealed class ClusterSettings
{
    public const string SectionName = "Cluster";
    public const string ConnectionStringName = "Postgres";

    public ClusterProvider Provider { get; set; } = ClusterProvider.Development;

    /// <summary>Partitions membership: silos with the same ClusterId form one cluster.</summary>
    [Required, MaxLength(150)]
    public string ClusterId { get; set; } = "fanforge-dev";

    /// <summary>Partitions storage and reminders; stays fixed across deployments or data is orphaned.</summary>
    [Required, MaxLength(150)]
    public string ServiceId { get; set; } = "fanforge";

    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>IP address other silos reach this one on; unset means the host's first non-loopback address.</summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>
    /// Grain storage provider with <see cref="ClusterProvider.Postgres"/>; development always keeps state in memory.
    /// Group commit is the default because per-write transactions saturate the connection pool long before the
    /// database; the stock provider stays selectable as a fallback on the very same rows.
    /// </summary>
    public GrainStorageKind GrainStorage { get; set; } = GrainStorageKind.GroupCommit;

    /// <summary>Apply deploy/sql migrations before the silo joins (under an advisory lock, so safe on every silo).</summary>
    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>Shortest reminder period the cluster accepts; only tests lower it.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MinimumReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>PostgreSQL connection string (from <c>ConnectionStrings:Postgres</c>); a secret, never logged.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Binds and validates eagerly: the silo is configured while the host is being built, before any
    /// ValidateOnStart hook could run, so a bad setting must stop the process right here. The same checks are
    /// registered to run on start too (<see cref="ClusterHostingExtensions"/>).
    /// </summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A value is invalid; the message names its key.</exception>
    public static ClusterSettings Load(IConfiguration configuration, IHostEnvironment environment) =>
        ValidatedOptions.ReadValidated<ClusterSettings>(
            configuration, SectionName, s => s.ConnectionString ??= configuration.GetConnectionString(ConnectionStringName), new ClusterSettingsRules(environment));
}

/// <summary>The cluster settings' rules across fields, and production's refusal of the in-memory cluster.</summary>
public sealed class ClusterSettingsRules(IHostEnvironment environment) : IValidateOptions<ClusterSettings>
{
    public ValidateOptionsResult Validate(string? name, ClusterSettings options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string Section = ClusterSettings.SectionName;
        var messages = new List<string>();
        if (options.Provider == ClusterProvider.Postgres && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            messages.Add($"{Section}:{nameof(ClusterSettings.Provider)}={ClusterProvider.Postgres} needs ConnectionStrings:{ClusterSettings.ConnectionStringName}.");
        }

        // The binder accepts any number for an enum, so an out-of-range value would otherwise pass silently.
        if (!Enum.IsDefined(options.Provider))
        {
            messages.Add($"{Section}:{nameof(ClusterSettings.Provider)} must be {string.Join(" or ", Enum.GetNames<ClusterProvider>())}, got '{options.Provider}'.");
        }

        if (!Enum.IsDefined(options.GrainStorage))
        {
            messages.Add($"{Section}:{nameof(ClusterSettings.GrainStorage)} must be {string.Join(" or ", Enum.GetNames<GrainStorageKind>())}, got '{options.GrainStorage}'.");
        }

        if (options.AdvertisedAddress is { Length: > 0 } address && !System.Net.IPAddress.TryParse(address, out _))
        {
            messages.Add($"{Section}:{nameof(ClusterSettings.AdvertisedAddress)} must be an IP address, got '{address}'.");
        }

        if (environment.IsProduction() && options.Provider == ClusterProvider.Development)
        {
            messages.Add($"Production refuses the in-memory development cluster: set {Section}:{nameof(ClusterSettings.Provider)}={ClusterProvider.Postgres}.");
        }

        return messages.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(messages);
    }
}
