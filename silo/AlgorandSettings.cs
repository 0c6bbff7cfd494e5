using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace FanForge.Silo;

/// <summary>Which chain the platform talks to.</summary>
public enum AlgorandMode
{
    /// <summary>The in-cluster simulated ledger impersonating TestNet (development and tests).</summary>
    Simulated,

    /// <summary>A real algod and indexer over REST.</summary>
    Node,
}

/// <summary>Section <c>Algorand</c>. Tokens and the platform seed are secrets: never logged.</summary>
public sealed class AlgorandSettings
{
    public const string SectionName = "Algorand";

    /// <summary>
    /// The development platform key's seed: published here on purpose, so production, which must hold its own
    /// funded key, recognises and refuses it.
    /// </summary>
    public static readonly string DevelopmentPlatformSeed = Convert.ToBase64String(SHA256.HashData("fanforge-development-platform-seed"u8));

    public AlgorandMode Mode { get; set; } = AlgorandMode.Simulated;

    public Uri? AlgodUrl { get; set; }

    public string AlgodToken { get; set; } = "";

    public Uri? IndexerUrl { get; set; }

    public string IndexerToken { get; set; } = "";

    /// <summary>Base64 of the platform account's 32-byte Ed25519 seed (it deploys TipProxy apps and mints badges).</summary>
    public string? PlatformSeed { get; set; }

    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan WatcherPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    public byte[] PlatformSeedBytes => Convert.FromBase64String(PlatformSeed ?? DevelopmentPlatformSeed);

    /// <summary>Binds and validates eagerly (the silo is wired while the host is built).</summary>
    public static AlgorandSettings Load(IConfiguration configuration, IHostEnvironment environment)
    {
        var settings = configuration.GetSection(SectionName).Get<AlgorandSettings>() ?? new AlgorandSettings();
        var errors = new List<ValidationResult>();
        Validator.TryValidateObject(settings, new ValidationContext(settings), errors, validateAllProperties: true);
        var messages = errors.Select(e => e.ErrorMessage ?? "invalid value").ToList();

        if (settings.Mode == AlgorandMode.Node && (settings.AlgodUrl is null || settings.IndexerUrl is null))
        {
            messages.Add($"{SectionName}:{nameof(Mode)}={AlgorandMode.Node} needs {SectionName}:{nameof(AlgodUrl)} and {SectionName}:{nameof(IndexerUrl)}.");
        }

        if (settings.PlatformSeed is { } seed && !(TryDecode(seed, out var bytes) && bytes.Length == 32))
        {
            messages.Add($"{SectionName}:{nameof(PlatformSeed)} must be base64 of 32 bytes.");
        }

        if (environment.IsProduction())
        {
            if (settings.Mode == AlgorandMode.Simulated)
            {
                messages.Add($"Production refuses the simulated ledger: set {SectionName}:{nameof(Mode)}={AlgorandMode.Node}.");
            }

            if (settings.PlatformSeed is null || settings.PlatformSeed == DevelopmentPlatformSeed)
            {
                messages.Add($"Production refuses a missing or development {SectionName}:{nameof(PlatformSeed)}.");
            }
        }

        return messages.Count == 0
            ? settings
            : throw new InvalidOperationException("Invalid Algorand configuration: " + string.Join(" ", messages));
    }

    private static bool TryDecode(string text, out byte[] bytes)
    {
        bytes = new byte[text.Length];
        var ok = Convert.TryFromBase64String(text, bytes, out var written);
        bytes = bytes[..written];
        return ok;
    }
}
