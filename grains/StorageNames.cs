namespace FanForge.Grains;

/// <summary>
/// Names of the grain storage providers. The silo registers providers under exactly these names, whatever the
/// backend (memory in development, PostgreSQL in production), so grains never change with the environment.
/// </summary>
public static class StorageNames
{
    /// <summary>The provider every FanForge grain persists to.</summary>
    public const string Default = "fanforge";
}
