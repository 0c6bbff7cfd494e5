using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace FanForge.Api.Health;

/// <summary>Ready when PostgreSQL answers a trivial query and the Orleans schema is installed.</summary>
internal sealed class PostgresHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = dataSource.CreateCommand(
                "SELECT count(*) FROM fanforge_schema_migrations");
            var scripts = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            return HealthCheckResult.Healthy("PostgreSQL reachable", new Dictionary<string, object> { ["schemaScripts"] = scripts });
        }
        catch (Exception ex) when (ex is NpgsqlException or PostgresException or InvalidOperationException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"PostgreSQL unreachable ({ex.GetType().Name})");
        }
    }
}
