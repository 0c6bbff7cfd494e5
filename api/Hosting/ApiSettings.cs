using System.ComponentModel.DataAnnotations;

namespace FanForge.Api.Hosting;

/// <summary>How the API reaches grains.</summary>
public enum ApiHosting
{
    /// <summary>The API process is also a silo (development and small deployments).</summary>
    CoHosted,

    /// <summary>The API is a pure Orleans client of silos found through cluster membership.</summary>
    Client,
}

/// <summary>Section <c>Api</c>.</summary>
public sealed class ApiSettings
{
    public const string SectionName = "Api";

    public ApiHosting Hosting { get; set; } = ApiHosting.CoHosted;

    /// <summary>Used only when no URL is configured (<c>--urls</c>, <c>ASPNETCORE_URLS</c>): the frontend's default base URL.</summary>
    [Required]
    public string DefaultUrl { get; set; } = "http://localhost:8000";

    /// <summary>
    /// Development-only routes that act on the simulated world (fund a wallet, move the clock). Production refuses
    /// to start with them on.
    /// </summary>
    public bool SimulationEndpoints { get; set; }
}

/// <summary>Section <c>Cors</c>: the browser origins of the frontend.</summary>
public sealed class CorsSettings
{
    public const string SectionName = "Cors";

    [Required, MinLength(1)]
    public string[] AllowedOrigins { get; set; } = [];
}
