using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace FanForge.Silo.Schema;

/// <summary>One versioned script from deploy/sql, e.g. <c>0002_orleans_clustering.sql</c>.</summary>
public sealed record SchemaScript(int Version, string Name, string Sql)
{
    public string Sha256 { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql)));
}

/// <summary>What a migration run did.</summary>
public sealed record MigrationReport(IReadOnlyList<string> Applied, IReadOnlyList<string> AlreadyPresent);

/// <summary>
/// Applies the schema scripts embedded from deploy/sql in version order. Every silo may run it at startup:
/// a session advisory lock serialises concurrent runs, each script runs in its own transaction together with
/// its bookkeeping row, and an applied script whose text has changed stops the run instead of drifting.
/// </summary>
public sealed class SchemaMigrator(NpgsqlDataSource dataSource, ILogger<SchemaMigrator> logger)
{
    // "FanForge" in ASCII: one lock id for every FanForge migrator on the database.
    private const long AdvisoryLockKey = 0x46616E466F726765;
    private const string ResourcePrefix = "FanForge.Sql.";

    public static IReadOnlyList<SchemaScript> EmbeddedScripts { get; } = LoadEmbeddedScripts();

    public async Task<MigrationReport> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, $"SELECT pg_advisory_lock({AdvisoryLockKey})", cancellationToken);
        try
        {
            await ExecuteAsync(connection, """
                CREATE TABLE IF NOT EXISTS fanforge_schema_migrations (
                    version    integer     PRIMARY KEY,
                    name       text        NOT NULL,
                    sha256     text        NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now())
                """, cancellationToken);

            var applied = await ReadAppliedAsync(connection, cancellationToken);
            var newlyApplied = new List<string>();
            var present = new List<string>();
            foreach (var script in EmbeddedScripts)
            {
                if (applied.TryGetValue(script.Version, out var recorded))
                {
                    if (recorded != script.Sha256)
                    {
                        throw new InvalidOperationException(
                            $"Schema script {script.Name} was changed after it was applied (recorded sha256 {recorded}, " +
                            $"now {script.Sha256}). Add a new versioned script instead of editing an applied one.");
                    }

                    present.Add(script.Name);
                    continue;
                }

                await ApplyAsync(connection, script, cancellationToken);
                newlyApplied.Add(script.Name);
                logger.LogInformation("Applied schema script {Script}", script.Name);
            }

            return new MigrationReport(newlyApplied, present);
        }
        finally
        {
            await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
        }
    }

    private static async Task ApplyAsync(NpgsqlConnection connection, SchemaScript script, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand(script.Sql, connection, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var record = new NpgsqlCommand(
            "INSERT INTO fanforge_schema_migrations (version, name, sha256) VALUES (@version, @name, @sha256)",
            connection, transaction))
        {
            record.Parameters.AddWithValue("version", script.Version);
            record.Parameters.AddWithValue("name", script.Name);
            record.Parameters.AddWithValue("sha256", script.Sha256);
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task<Dictionary<int, string>> ReadAppliedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var applied = new Dictionary<int, string>();
        await using var command = new NpgsqlCommand("SELECT version, sha256 FROM fanforge_schema_migrations", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            applied[reader.GetInt32(0)] = reader.GetString(1);
        }

        return applied;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static List<SchemaScript> LoadEmbeddedScripts()
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        var scripts = new List<SchemaScript>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var name = resource[ResourcePrefix.Length..];
            var separator = name.IndexOf('_', StringComparison.Ordinal);
            if (separator <= 0 || !int.TryParse(name.AsSpan(0, separator), out var version))
            {
                throw new InvalidOperationException($"Schema script '{name}' must be named NNNN_description.sql.");
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            scripts.Add(new SchemaScript(version, name, reader.ReadToEnd()));
        }

        var duplicate = scripts.GroupBy(s => s.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Two schema scripts share version {duplicate.Key}.");
        }

        return scripts.OrderBy(s => s.Version).ToList();
    }
}
