using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FanForge.Api.Health;

/// <summary>Ready when the cluster answers and lists at least one active silo; reports every active silo.</summary>
internal sealed class ClusterHealthCheck(IGrainFactory grains) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(Timeout, cancellationToken);
            var silos = hosts.Keys.Select(s => s.ToParsableString()).Order(StringComparer.Ordinal).ToArray();
            var data = new Dictionary<string, object> { ["silos"] = silos, ["activeSilos"] = silos.Length };
            return silos.Length > 0
                ? HealthCheckResult.Healthy($"{silos.Length} active silo(s)", data)
                : HealthCheckResult.Unhealthy("No active silo", data: data);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The exception text can carry addresses; readiness reports only its type.
            return HealthCheckResult.Unhealthy($"Cluster unreachable ({ex.GetType().Name})");
        }
    }
}
