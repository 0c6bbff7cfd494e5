using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace FanForge.Grains.Nfts;

/// <summary>Section <c>Nfts:MintRetry</c>: how soon a failed mint is tried again. A mint is never given up.</summary>
public sealed class MintRetryOptions
{
    public const string SectionName = "Nfts:MintRetry";

    /// <summary>
    /// Wait after the first failure, doubled after each further one. The node client has already retried each call
    /// for a few seconds, so a mint that still failed needs a longer pause than that.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait between two attempts, however long the mint has been failing.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Retries after which a mint that keeps failing is reported as still failing (it is still retried).</summary>
    [Range(1, 1000)]
    public int MaxRetryAttempts { get; set; } = 3;
}

/// <summary>A retry's longest wait must not be shorter than its first.</summary>
public sealed class MintRetryOptionsRules : IValidateOptions<MintRetryOptions>
{
    public ValidateOptionsResult Validate(string? name, MintRetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.MaxDelay >= options.FirstDelay
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{MintRetryOptions.SectionName}:{nameof(MintRetryOptions.MaxDelay)} must be at least {nameof(MintRetryOptions.FirstDelay)}.");
    }
}

/// <summary>The retry schedule of a failed mint, as pure functions of its failures in a row.</summary>
public static class MintRetryPolicy
{
    /// <summary>Share of a delay that <c>spread</c> may take off, so mints that failed together retry apart.</summary>
    public const double Jitter = 0.2;

    /// <summary>
    /// The wait after <paramref name="failures"/> failed attempts in a row: <see cref="MintRetryOptions.FirstDelay"/>
    /// doubled per further failure, capped at <see cref="MintRetryOptions.MaxDelay"/>, then shortened by up to
    /// <see cref="Jitter"/> of itself as <paramref name="spread"/> (0 to 1) says.
    /// </summary>
    public static TimeSpan DelayAfter(int failures, MintRetryOptions options, double spread = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failures, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(spread);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(spread, 1);
        return Backoff.Doubling(options.FirstDelay, options.MaxDelay, failures) * (1 - (Jitter * spread));
    }

    /// <summary>Whether a mint with <paramref name="failures"/> failed attempts in a row has used up its retries.</summary>
    public static bool IsStillFailing(int failures, MintRetryOptions options) => failures > options.MaxRetryAttempts;
}
