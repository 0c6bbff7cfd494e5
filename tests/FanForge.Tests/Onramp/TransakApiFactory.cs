using FanForge.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace FanForge.Tests.Onramp;

/// <summary>
/// The development host with Transak configured and pointed at <see cref="FakeTransak"/>, on a clock the tests drive
/// (the fake dates its tokens on it too). The shared vector's token is the configured partner access token.
/// </summary>
public sealed class TransakApiFactory : FanForgeApiFactory, IAsyncLifetime
{
    public const string ApiKey = "transak-test-api-key";
    public const string ReferrerDomain = "app.fanforge.test";
    public const string RedirectUrl = "https://app.fanforge.test/onramp/done";

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public FakeTransak Transak { get; private set; } = null!;

    public async Task InitializeAsync() => Transak = await FakeTransak.StartAsync(Time, ApiKey);

    async Task IAsyncLifetime.DisposeAsync()
    {
        // The co-hosted silo's shutdown waits on this clock (the chain follower's wait for a block, for one): it
        // moves on until the host has stopped, or the stop runs into its 30 s timeout.
        await Time.AdvanceUntilAsync(DisposeAsync().AsTask());
        await Transak.DisposeAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Transak:ApiKey", ApiKey);
        builder.UseSetting("Transak:ApiSecret", FakeTransak.ApiSecret);
        builder.UseSetting("Transak:AccessToken", TransakTokens.AccessToken);
        builder.UseSetting("Transak:ReferrerDomain", ReferrerDomain);
        builder.UseSetting("Transak:RedirectUrl", RedirectUrl);
        builder.UseSetting("Transak:ApiBase", Transak.BaseUrl.ToString());
        builder.UseSetting("Transak:GatewayBase", Transak.BaseUrl.ToString());
        builder.ConfigureServices(s => s.AddSingleton<TimeProvider>(Time));
    }
}
