using System.ComponentModel.DataAnnotations;
using System.Text;
using Microsoft.Extensions.Options;

namespace FanForge.Api.Auth;

/// <summary>Section <c>Auth</c>. The signing key is a secret: never logged, never defaulted in production.</summary>
public sealed class AuthSettings
{
    public const string SectionName = "Auth";

    /// <summary>The key appsettings.Development.json ships; production refuses it.</summary>
    public const int MinimumKeyBytes = 32;

    public const string DevelopmentSigningKey = "fanforge-development-only-signing-key-do-not-use-in-production";

    /// <summary>HMAC-SHA256 key for access tokens (at least 32 bytes of UTF-8).</summary>
    [Required]
    public string JwtSigningKey { get; set; } = "";

    [Required]
    public string Issuer { get; set; } = "fanforge-api";

    [Required]
    public string Audience { get; set; } = "fanforge";

    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    [Range(typeof(TimeSpan), "00:05:00", "90.00:00:00")]
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);

    [Range(typeof(TimeSpan), "00:00:30", "01:00:00")]
    public TimeSpan ChallengeLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a rotated refresh token may still be presented and get the live one (two tabs refreshing at once).
    /// Zero, the default, means none: any reuse ends the session. A grace lets a stolen copy used within it take
    /// over the session, so it stays short.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RefreshReuseGrace { get; set; } = TimeSpan.Zero;

    /// <summary>Wallets allowed on admin-only routes (platform mints).</summary>
    public string[] AdminWallets { get; set; } = [];

    public byte[] SigningKeyBytes => Encoding.UTF8.GetBytes(JwtSigningKey);

    /// <summary>Why these settings may not run in production, or null when they may.</summary>
    public string? ProductionProblem() =>
        SigningKeyBytes.Length < MinimumKeyBytes ? "Auth:JwtSigningKey must be at least 32 bytes."
        : JwtSigningKey == DevelopmentSigningKey ? "Auth:JwtSigningKey is the development default."
        : null;
}

/// <summary>The signing key's length everywhere, and production's refusal of a missing, short or development key.</summary>
public sealed class AuthSettingsRules(IHostEnvironment environment) : IValidateOptions<AuthSettings>
{
    public ValidateOptionsResult Validate(string? name, AuthSettings options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var messages = new List<string>();
        if (options.SigningKeyBytes.Length < AuthSettings.MinimumKeyBytes)
        {
            messages.Add("Auth:JwtSigningKey must be at least 32 bytes.");
        }

        if (environment.IsProduction() && options.ProductionProblem() is not null)
        {
            messages.Add("Production refuses Auth:JwtSigningKey: it is missing, short or the development default.");
        }

        return messages.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(messages);
    }
}

/// <summary>Section <c>RateLimits</c>: permits per window; the prototype's limits are the defaults.</summary>
public sealed class RateLimitSettings
{
    public const string SectionName = "RateLimits";

    [Range(1, 100_000)] public int ChallengePerMinutePerIp { get; set; } = 20;
    [Range(1, 100_000)] public int VerifyPerMinutePerIp { get; set; } = 30;
    [Range(1, 100_000)] public int RegisterPerHourPerWallet { get; set; } = 5;
    [Range(1, 1_000_000)] public int RequestsPerMinutePerIp { get; set; } = 1200;
    [Range(1, 1_000_000)] public int RequestsPerMinutePerWallet { get; set; } = 600;
}
