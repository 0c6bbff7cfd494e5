using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

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

    /// <summary>
    /// Binds and validates eagerly (the silo is wired while the host is built); the same checks also run on start.
    /// </summary>
    /// <exception cref="OptionsValidationException">A value is invalid; the message names its key, never a secret.</exception>
    public static AlgorandSettings Load(IConfiguration configuration, IHostEnvironment environment) =>
        ValidatedOptions.ReadValidated<AlgorandSettings>(configuration, SectionName, complete: null, new AlgorandSettingsRules(environment));
}

/// <summary>The Algorand settings' rules across fields, and production's refusal of the simulated ledger and development key.</summary>
public sealed class AlgorandSettingsRules(IHostEnvironment environment) : IValidateOptions<AlgorandSettings>
{
    public ValidateOptionsResult Validate(string? name, AlgorandSettings options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string Section = AlgorandSettings.SectionName;
        var messages = new List<string>();
        if (!Enum.IsDefined(options.Mode))
        {
            messages.Add($"{Section}:{nameof(AlgorandSettings.Mode)} must be {string.Join(" or ", Enum.GetNames<AlgorandMode>())}, got '{options.Mode}'.");
        }

        if (options.Mode == AlgorandMode.Node && (options.AlgodUrl is null || options.IndexerUrl is null))
        {
            messages.Add($"{Section}:{nameof(AlgorandSettings.Mode)}={AlgorandMode.Node} needs {Section}:{nameof(AlgorandSettings.AlgodUrl)} and {Section}:{nameof(AlgorandSettings.IndexerUrl)}.");
        }

        if (options.PlatformSeed is { } seed && !(TryDecode(seed, out var bytes) && bytes.Length == 32))
        {
            messages.Add($"{Section}:{nameof(AlgorandSettings.PlatformSeed)} must be base64 of 32 bytes.");
        }

        if (environment.IsProduction())
        {
            if (options.Mode == AlgorandMode.Simulated)
            {
                messages.Add($"Production refuses the simulated ledger: set {Section}:{nameof(AlgorandSettings.Mode)}={AlgorandMode.Node}.");
            }

            if (options.PlatformSeed is null || options.PlatformSeed == AlgorandSettings.DevelopmentPlatformSeed)
            {
                messages.Add($"Production refuses a missing or development {Section}:{nameof(AlgorandSettings.PlatformSeed)}.");
            }
        }

        return messages.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(messages);
    }

    private static bool TryDecode(string text, out byte[] bytes)
    {
        bytes = new byte[text.Length];
        var ok = Convert.TryFromBase64String(text, bytes, out var written);
        bytes = bytes[..written];
        return ok;
    }
}
