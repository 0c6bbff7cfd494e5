using System.Net;
using System.Net.Http.Json;
using FanForge.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FanForge.Tests.Hosting;

/// <summary>
/// TestServer leaves the connection's remote address unset; a real proxy connects from an address. This puts one on
/// every request before the API's own pipeline, as Kestrel would for a proxy on the same host.
/// </summary>
internal sealed class ProxyConnection : IStartupFilter
{
    public static readonly IPAddress Address = IPAddress.Loopback;

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, following) =>
        {
            context.Connection.RemoteIpAddress = Address;
            return following(context);
        });
        next(app);
    };
}

/// <summary>Every request arrives from the proxy at 127.0.0.1, with a challenge budget of two per client address.</summary>
public class BehindProxyApiFactory : FanForgeApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("RateLimits:ChallengePerMinutePerIp", "2");
        builder.ConfigureServices(s => s.AddSingleton<IStartupFilter, ProxyConnection>());
    }
}

/// <summary>The proxy at 127.0.0.1 is trusted.</summary>
public sealed class TrustedProxyApiFactory : BehindProxyApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("ForwardedHeaders:KnownProxies:0", "127.0.0.1");
    }
}

/// <summary>No proxy configured: the same connection, but its <c>X-Forwarded-For</c> is only the client's claim.</summary>
public sealed class UntrustedProxyApiFactory : BehindProxyApiFactory;

internal static class ChallengeCalls
{
    public static async Task<HttpStatusCode> ChallengeAsync(this HttpClient http, string forwardedFor, byte wallet)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/auth/challenge")
        {
            Content = JsonContent.Create(new { walletAddress = new TestWallet(wallet).Address }),
        };
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return (await http.SendAsync(request)).StatusCode;
    }
}

public sealed class TrustedProxyTests(TrustedProxyApiFactory factory) : IClassFixture<TrustedProxyApiFactory>
{
    [Fact]
    public async Task Clients_behind_a_known_proxy_have_their_own_challenge_budgets()
    {
        var http = factory.CreateClient();

        Assert.Equal(HttpStatusCode.OK, await http.ChallengeAsync("203.0.113.10", 60));
        Assert.Equal(HttpStatusCode.OK, await http.ChallengeAsync("203.0.113.10", 61));
        Assert.Equal(HttpStatusCode.TooManyRequests, await http.ChallengeAsync("203.0.113.10", 62));

        // Another client through the same proxy still has its whole budget.
        Assert.Equal(HttpStatusCode.OK, await http.ChallengeAsync("203.0.113.20", 63));
        Assert.Equal(HttpStatusCode.OK, await http.ChallengeAsync("203.0.113.20", 64));
        Assert.Equal(HttpStatusCode.TooManyRequests, await http.ChallengeAsync("203.0.113.20", 65));
    }

    [Fact]
    public async Task Only_the_hop_the_proxy_wrote_counts_so_a_client_cannot_pick_its_address()
    {
        var http = factory.CreateClient();

        // The client prepends made-up addresses; the proxy appends the one it saw (198.51.100.7), which is all that counts.
        Assert.Equal(HttpStatusCode.OK, await http.ChallengeAsync("192.0.2.1, 198.51.100.7", 70));
        Assert.Equal(HttpStatusCode.OK, await http.ChallengeAsync("192.0.2.2, 198.51.100.7", 71));
        Assert.Equal(HttpStatusCode.TooManyRequests, await http.ChallengeAsync("192.0.2.3, 198.51.100.7", 72));
    }
}

public sealed class UntrustedProxyTests(UntrustedProxyApiFactory factory) : IClassFixture<UntrustedProxyApiFactory>
{
    [Fact]
    public async Task Without_known_proxies_forwarded_for_is_ignored_and_all_share_one_budget()
    {
        var http = factory.CreateClient();

        Assert.Equal(HttpStatusCode.OK, await http.ChallengeAsync("203.0.113.10", 80));
        Assert.Equal(HttpStatusCode.OK, await http.ChallengeAsync("203.0.113.20", 81));
        // Even loopback, which the framework would trust by default, is not a proxy until configured.
        Assert.Equal(HttpStatusCode.TooManyRequests, await http.ChallengeAsync("203.0.113.30", 82));
    }
}

public sealed class ForwardedHeadersSettingsTests
{
    [Theory]
    [InlineData("KnownProxies:0", "10.0.0.300", "ForwardedHeaders:KnownProxies:0 '10.0.0.300' is not an IP address")]
    [InlineData("KnownProxies:0", "10.0.0.0/8", "ForwardedHeaders:KnownProxies:0 '10.0.0.0/8' is not an IP address")]
    [InlineData("KnownNetworks:0", "10.244.0.0/33", "ForwardedHeaders:KnownNetworks:0 '10.244.0.0/33' is not a CIDR network")]
    [InlineData("KnownNetworks:0", "ingress", "ForwardedHeaders:KnownNetworks:0 'ingress' is not a CIDR network")]
    public void A_bad_proxy_address_or_network_stops_the_start_naming_it(string key, string value, string message)
    {
        using var factory = new FanForgeApiFactory().WithWebHostBuilder(b => b.UseSetting("ForwardedHeaders:" + key, value));

        var failure = Record.Exception(() => factory.Server);

        var refused = Assert.IsType<OptionsValidationException>(failure);
        Assert.Contains(message, refused.Message);
    }
}
