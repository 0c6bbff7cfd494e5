using Microsoft.Extensions.Logging;

namespace FanForge.Silo.Schema;

/// <summary>
/// Runs the schema migration as the very first silo lifecycle step, so membership, storage and reminder
/// providers never start against a database that lacks their tables and queries.
/// </summary>
internal sealed class SchemaMigrationParticipant(SchemaMigrator migrator, ILogger<SchemaMigrationParticipant> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SchemaMigrationParticipant), ServiceLifecycleStage.First, MigrateAsync);

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var report = await migrator.MigrateAsync(cancellationToken);
        logger.LogInformation(
            "Schema ready: {AppliedCount} script(s) applied, {PresentCount} already present",
            report.Applied.Count, report.AlreadyPresent.Count);
    }
}
