using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace FanForge.Api.Ipfs;

/// <summary>Where template images and metadata are pinned.</summary>
public enum IpfsProvider
{
    /// <summary>Pinata's pinning API (production).</summary>
    Pinata,

    /// <summary>A content-addressed folder on this machine, served at <c>/ipfs/{cid}</c> (development only).</summary>
    Local,
}

/// <summary>
/// Section <c>Ipfs</c>. Without <see cref="PinataJwt"/> the Pinata provider answers 503 <c>ipfs_disabled</c>; the JWT
/// is a secret: never logged, never echoed in a validation message.
/// </summary>
public sealed class IpfsSettings
{
    public const string SectionName = "Ipfs";

    public IpfsProvider Provider { get; set; } = IpfsProvider.Pinata;

    /// <summary>Pinata API JWT (<c>Authorization: Bearer</c>).</summary>
    public string? PinataJwt { get; set; }

    /// <summary>Where the Pinata API is; tests point it at an in-process fake.</summary>
    [Required]
    public Uri PinataApiBase { get; set; } = new("https://api.pinata.cloud");

    /// <summary>
    /// The gateway prefix of public URLs (<c>{GatewayUrl}/{cid}</c>). Default: Pinata's public gateway, or this API's
    /// own <c>/ipfs</c> for the local store.
    /// </summary>
    public string? GatewayUrl { get; set; }

    /// <summary>The local store's folder; default: <c>fanforge-ipfs</c> in the temp folder.</summary>
    public string? LocalPath { get; set; }

    /// <summary>
    /// One pin's whole budget, retries included; below Orleans' 30 s grain-call timeout like every outside call.
    /// </summary>
    [Range(1, 25)]
    public int TimeoutSeconds { get; set; } = 25;

    public string ResolvedLocalPath => LocalPath ?? Path.Combine(Path.GetTempPath(), "fanforge-ipfs");
}

/// <summary>Production pins to Pinata: the local folder store is a development convenience.</summary>
public sealed class IpfsSettingsRules(IHostEnvironment environment) : IValidateOptions<IpfsSettings>
{
    public ValidateOptionsResult Validate(string? name, IpfsSettings options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var messages = new List<string>();
        if (!Enum.IsDefined(options.Provider))
        {
            messages.Add($"Ipfs:Provider must be {string.Join(" or ", Enum.GetNames<IpfsProvider>())}, got '{options.Provider}'.");
        }

        if (environment.IsProduction() && options.Provider == IpfsProvider.Local)
        {
            messages.Add("Ipfs:Provider Local is a development store; production pins to Pinata (Ipfs:PinataJwt).");
        }

        return messages.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(messages);
    }
}
