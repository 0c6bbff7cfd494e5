namespace FanForge.Tests.Infrastructure;

/// <summary>
/// A fact that needs a real PostgreSQL server. Skipped, with the reason shown, only when the server binaries are
/// absent and we are not in CI; with CI=true it always runs, so a missing install fails loudly instead.
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresServer.FindBinDirectory() is null && !IsCi)
        {
            Skip = "PostgreSQL server binaries (initdb/pg_ctl) not found; install 'postgresql' to run this test.";
        }
    }

    private static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
}
