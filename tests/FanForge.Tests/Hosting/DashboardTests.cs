using System.Net;
using FanForge.Tests.Auth;
using FanForge.Tests.Infrastructure;

namespace FanForge.Tests.Hosting;

/// <summary>
/// The Orleans dashboard on the co-hosted API (<c>Dashboard:Enabled</c>, as <see cref="AdminApiFactory"/> sets it):
/// only a wallet listed in Auth:AdminWallets sees it, and its data comes from the silo's own dashboard grains.
/// </summary>
public sealed class DashboardTests(AdminApiFactory factory) : IClassFixture<AdminApiFactory>
{
    private static readonly TestWallet Fan = new(211);

    [Theory]
    [InlineData("/dashboard/")]
    [InlineData("/dashboard/index.html")]
    [InlineData("/dashboard/GrainTypes")]
    public async Task Without_a_token_the_dashboard_is_a_401(string path)
    {
        var response = await factory.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("/dashboard/")]
    [InlineData("/dashboard/GrainTypes")]
    public async Task A_fan_who_is_not_an_admin_gets_a_403(string path)
    {
        var http = await factory.CreateClientAsync(Fan);

        var response = await http.GetAsync(path);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task An_admin_wallet_gets_the_page_and_its_data()
    {
        var http = await factory.CreateClientAsync(AdminApiFactory.Admin);

        var page = await http.GetAsync("/dashboard/");
        var grainTypes = await http.GetAsync("/dashboard/GrainTypes");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("text/html", page.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, grainTypes.StatusCode);
        // The data comes from the silo's dashboard grains: our own grain types are listed.
        Assert.Contains("FanForge", await grainTypes.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Off_the_dashboard_is_not_there_at_all()
    {
        // The base factory leaves Dashboard:Enabled off: no route, so even an admin's request is our 404.
        using var plain = new PlainFactory();
        var http = await plain.CreateClientAsync(AdminApiFactory.Admin);

        var response = await http.GetAsync("/dashboard/");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private sealed class PlainFactory : FanForgeApiFactory
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Auth:AdminWallets:0", AdminApiFactory.Admin.Address);
        }
    }
}
