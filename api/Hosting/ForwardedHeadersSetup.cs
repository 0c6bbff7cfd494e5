using System.ComponentModel.DataAnnotations;
using System.Net;
using FanForge.Silo;
using Microsoft.AspNetCore.HttpOverrides;
using IPNetwork = System.Net.IPNetwork;
using Microsoft.Extensions.Options;

namespace FanForge.Api.Hosting;

/// <summary>
/// Section <c>ForwardedHeaders</c>: the reverse proxies (an ingress, a load balancer) whose <c>X-Forwarded-For</c> and
/// <c>X-Forwarded-Proto</c> the API believes. With none configured the headers are ignored, so a client cannot pick
/// its own address for rate limits and logs by sending them.
/// </summary>
public sealed class ForwardedHeadersSettings
{
    public const string SectionName = "ForwardedHeaders";

    /// <summary>Proxy addresses, e.g. <c>10.0.0.7</c> or <c>::1</c>.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Proxy networks in CIDR notation, e.g. <c>10.244.0.0/16</c> (the ingress pods' network).</summary>
    public string[] KnownNetworks { get; set; } = [];

    /// <summary>
    /// How many trusted hops are unwrapped from the right of <c>X-Forwarded-For</c>. One fits a single ingress that
    /// writes the header itself; a chain (CDN → load balancer → ingress) needs one per hop, each also listed above.
    /// </summary>
    [Range(1, 10)]
    public int ForwardLimit { get; set; } = 1;

    public bool Enabled => KnownProxies.Length > 0 || KnownNetworks.Length > 0;
}

/// <summary>Names every entry that is not an IP address or a CIDR network, so start-up fails saying which.</summary>
internal sealed class ForwardedHeadersSettingsValidator : IValidateOptions<ForwardedHeadersSettings>
{
    public ValidateOptionsResult Validate(string? name, ForwardedHeadersSettings options)
    {
        var failures = new List<string>();
        for (var i = 0; i < options.KnownProxies.Length; i++)
        {
            if (!IPAddress.TryParse(options.KnownProxies[i]?.Trim(), out _))
            {
                failures.Add($"ForwardedHeaders:KnownProxies:{i} '{options.KnownProxies[i]}' is not an IP address (e.g. 10.0.0.7).");
            }
        }

        for (var i = 0; i < options.KnownNetworks.Length; i++)
        {
            if (!IPNetwork.TryParse(options.KnownNetworks[i]?.Trim(), out _))
            {
                failures.Add($"ForwardedHeaders:KnownNetworks:{i} '{options.KnownNetworks[i]}' is not a CIDR network (e.g. 10.244.0.0/16).");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

internal static class ForwardedHeadersSetup
{
    /// <summary>Binds and validates the section and, from it, the middleware's options.</summary>
    public static IServiceCollection AddFanForgeForwardedHeaders(this IServiceCollection services)
    {
        services.AddValidatedOptions<ForwardedHeadersSettings, ForwardedHeadersSettingsValidator>(ForwardedHeadersSettings.SectionName);
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ForwardedHeadersSettings>>((forwarded, settings) =>
        {
            var s = settings.Value;
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            forwarded.ForwardLimit = s.ForwardLimit;
            // The framework trusts loopback by default; only what the operator lists is trusted here.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in s.KnownProxies)
            {
                forwarded.KnownProxies.Add(IPAddress.Parse(proxy.Trim()));
            }

            foreach (var network in s.KnownNetworks)
            {
                forwarded.KnownIPNetworks.Add(IPNetwork.Parse(network.Trim()));
            }
        });
        return services;
    }

    /// <summary>
    /// First in the pipeline, so rate limits, CORS and logs all see the client's address; left out entirely when no
    /// proxy is configured (the headers then stay ignored, as without a proxy they are only the client's say-so).
    /// </summary>
    public static IApplicationBuilder UseFanForgeForwardedHeaders(this IApplicationBuilder app)
    {
        // Reading the value runs the validation: a bad entry stops the start here at the latest.
        return app.ApplicationServices.GetRequiredService<IOptions<ForwardedHeadersSettings>>().Value.Enabled
            ? app.UseForwardedHeaders()
            : app;
    }
}
