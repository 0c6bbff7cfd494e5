using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FanForge.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace FanForge.Tests.Auth;

public sealed class TightRateLimitApiFactory : FanForgeApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("RateLimits:ChallengePerMinutePerIp", "3");
    }
}

public sealed class RateLimitTests(TightRateLimitApiFactory factory) : IClassFixture<TightRateLimitApiFactory>
{
    [Fact]
    public async Task Challenge_over_the_limit_is_a_429_envelope_with_retry_after()
    {
        var http = factory.CreateClient();
        var wallet = new TestWallet(40).Address;
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await http.PostAsJsonAsync("/auth/challenge", new { walletAddress = wallet })).StatusCode);
        }

        var limited = await http.PostAsJsonAsync("/auth/challenge", new { walletAddress = wallet });

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.InRange(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        var error = (await limited.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal("rate_limited", error.GetProperty("code").GetString());
    }
}
