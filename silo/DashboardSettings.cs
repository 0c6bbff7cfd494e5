using Microsoft.Extensions.Configuration;

namespace FanForge.Silo;

/// <summary>
/// Section <c>Dashboard</c>: the Orleans dashboard. On a silo it collects the dashboard's statistics (per-silo
/// counters, grain-call profiling, a cluster-wide dashboard grain); on the API it serves <c>/dashboard</c> to admins.
/// Set it alike on the silos and the API: the API's dashboard reads what the silos collect.
/// </summary>
public sealed class DashboardSettings
{
    public const string SectionName = "Dashboard";

    /// <summary>
    /// On by default for the real hosts. Test hosts leave it off unless they test the dashboard: its silo-side
    /// start-up calls grains before the silo is active (placement has no active silo yet and retries), which keeps a
    /// starting silo joining longer and adds timers to every silo of a loaded test run.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Binds and validates eagerly: whether the silo and the API add the dashboard is decided while the host is built.</summary>
    public static DashboardSettings Load(IConfiguration configuration) =>
        ValidatedOptions.ReadValidated<DashboardSettings>(configuration, SectionName);
}
