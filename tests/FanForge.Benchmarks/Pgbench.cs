using System.Diagnostics;
using System.Globalization;
using FanForge.Tests.Infrastructure;
using Npgsql;

namespace FanForge.Benchmarks;

/// <summary>
/// The yardstick every storage-bound benchmark reports against: pgbench's single-row upsert on the same throwaway
/// server in the same run, so a ratio survives a shared, noisy machine where an absolute rate would not.
/// </summary>
internal static class Pgbench
{
    public sealed record UpsertResult(string Script, int Clients, int Seconds, double Tps);

    public static async Task<UpsertResult> UpsertAsync(PostgresServer server, string connectionString, int clients, TimeSpan duration)
    {
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE TABLE IF NOT EXISTS bench_upsert (k bigint PRIMARY KEY, v bigint NOT NULL)", connection);
            await create.ExecuteNonQueryAsync();
        }

        const string script = "\\set k random(1, 1000000)\nINSERT INTO bench_upsert (k, v) VALUES (:k, 1) ON CONFLICT (k) DO UPDATE SET v = bench_upsert.v + 1;\n";
        var scriptPath = Path.Combine(Path.GetTempPath(), "fanforge-upsert-" + Guid.NewGuid().ToString("N")[..8] + ".sql");
        await File.WriteAllTextAsync(scriptPath, script);
        try
        {
            var pgbench = Path.Combine(PostgresServer.FindBinDirectory()!, "pgbench");
            var start = new ProcessStartInfo(pgbench)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                ArgumentList =
                {
                    "-n", "-c", clients.ToString(CultureInfo.InvariantCulture), "-j", "2", "-T", ((int)duration.TotalSeconds).ToString(CultureInfo.InvariantCulture),
                    "-f", scriptPath, "-h", "127.0.0.1", "-p", server.Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres", database,
                },
            };
            using var process = Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync();
            var errors = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            var tpsLine = output.Split('\n').FirstOrDefault(l => l.StartsWith("tps = ", StringComparison.Ordinal))
                ?? throw new InvalidOperationException($"pgbench printed no tps: {output} {errors}");
            var tps = double.Parse(tpsLine["tps = ".Length..].Split(' ')[0], CultureInfo.InvariantCulture);
            return new UpsertResult(script.Replace("\n", " ", StringComparison.Ordinal).Trim(), clients, (int)duration.TotalSeconds, Math.Round(tps, 1));
        }
        finally
        {
            File.Delete(scriptPath);
        }
    }
}
