using System.ComponentModel.DataAnnotations;
using FanForge.Silo;
using Microsoft.Extensions.Options;

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

    /// <summary>Binds and validates eagerly: the hosting mode and the simulated world decide how the host is built.</summary>
    public static ApiSettings Load(IConfiguration configuration, IHostEnvironment environment) =>
        ValidatedOptions.ReadValidated<ApiSettings>(configuration, SectionName, complete: null, new ApiSettingsRules(environment));
}

/// <summary>Production refuses the development-only simulation routes.</summary>
public sealed class ApiSettingsRules(IHostEnvironment environment) : IValidateOptions<ApiSettings>
{
    public ValidateOptionsResult Validate(string? name, ApiSettings options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var messages = new List<string>();
        if (!Enum.IsDefined(options.Hosting))
        {
            messages.Add($"Api:Hosting must be {string.Join(" or ", Enum.GetNames<ApiHosting>())}, got '{options.Hosting}'.");
        }

        if (environment.IsProduction() && options.SimulationEndpoints)
        {
            messages.Add("Api:SimulationEndpoints must be off in production.");
        }

        return messages.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(messages);
    }
}

/// <summary>Section <c>Cors</c>: the browser origins of the frontend.</summary>
public sealed class CorsSettings
{
    public const string SectionName = "Cors";

    [Required, MinLength(1)]
    public string[] AllowedOrigins { get; set; } = [];
}

/// <summary>Production refuses a wildcard origin (with credentials, any site could call the API as the user).</summary>
public sealed class CorsSettingsRules(IHostEnvironment environment) : IValidateOptions<CorsSettings>
{
    public ValidateOptionsResult Validate(string? name, CorsSettings options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return environment.IsProduction() && options.AllowedOrigins.Contains("*")
            ? ValidateOptionsResult.Fail("Cors:AllowedOrigins must list the frontend origins in production, not '*'.")
            : ValidateOptionsResult.Success;
    }
}
