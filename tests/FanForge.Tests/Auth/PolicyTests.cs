using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FanForge.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace FanForge.Tests.Auth;

/// <summary>
/// Test-only routes, one per policy, appended behind the real pipeline (real authentication, real handlers), so
/// each policy is proven before the first feature route that uses it exists.
/// </summary>
internal sealed class PolicyProbeEndpoints : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        next(app);
        app.UseRouting();
        app.UseAuthorization();
        app.UseEndpoints(endpoints =>
        {
            endpoints.MapGet("/probe/wallet/{wallet}", (string wallet) => TypedResults.Ok(wallet)).RequireAuthorization("wallet-owner");
            endpoints.MapGet("/probe/creator/{wallet}", (string wallet) => TypedResults.Ok(wallet)).RequireAuthorization("creator");
            endpoints.MapGet("/probe/admin", () => TypedResults.Ok()).RequireAuthorization("admin");
        });
    };
}

public sealed class PolicyProbeApiFactory : FanForgeApiFactory
{
    public static readonly TestWallet Admin = new(211);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Auth:AdminWallets:0", Admin.Address);
        builder.ConfigureServices(s => s.AddSingleton<IStartupFilter, PolicyProbeEndpoints>());
    }
}

public sealed class PolicyTests(PolicyProbeApiFactory factory) : IClassFixture<PolicyProbeApiFactory>
{
    private static async Task<(HttpStatusCode Status, string? Message)> GetAsync(HttpClient http, string path)
    {
        var response = await http.GetAsync(path);
        var message = response.IsSuccessStatusCode
            ? null
            : (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("message").GetString();
        return (response.StatusCode, message);
    }

    [Fact]
    public async Task Wallet_owner_admits_the_tokens_own_wallet_only()
    {
        var fan = new TestWallet(212);
        var http = await factory.CreateClientAsync(fan);

        Assert.Equal(HttpStatusCode.OK, (await GetAsync(http, $"/probe/wallet/{fan.Address}")).Status);
        Assert.Equal((HttpStatusCode.Forbidden, "Wallet mismatch for access token."), await GetAsync(http, $"/probe/wallet/{new TestWallet(213).Address}"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(factory.CreateClient(), $"/probe/wallet/{fan.Address}")).Status);
    }

    [Fact]
    public async Task Creator_admits_a_fan_as_soon_as_it_registers_with_the_token_it_already_holds()
    {
        var wallet = new TestWallet(214);
        var http = await factory.CreateClientAsync(wallet);

        var beforeRegistering = await GetAsync(http, $"/probe/creator/{wallet.Address}");
        (await http.PostAsJsonAsync("/creator/register", new { walletAddress = wallet.Address })).EnsureSuccessStatusCode();
        var afterRegistering = await GetAsync(http, $"/probe/creator/{wallet.Address}");

        Assert.Equal((HttpStatusCode.Forbidden, "Creator role required for this endpoint."), beforeRegistering);
        Assert.Equal(HttpStatusCode.OK, afterRegistering.Status);
    }

    [Fact]
    public async Task Creator_refuses_a_creator_acting_on_another_wallet()
    {
        var creator = new TestWallet(215);
        var http = await factory.CreateClientAsync(creator);
        (await http.PostAsJsonAsync("/creator/register", new { walletAddress = creator.Address })).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(http, $"/probe/creator/{new TestWallet(216).Address}")).Status);
    }

    [Fact]
    public async Task Admin_admits_only_configured_admin_wallets()
    {
        var asAdmin = await GetAsync(await factory.CreateClientAsync(PolicyProbeApiFactory.Admin), "/probe/admin");
        var asFan = await GetAsync(await factory.CreateClientAsync(new TestWallet(217)), "/probe/admin");

        Assert.Equal(HttpStatusCode.OK, asAdmin.Status);
        Assert.Equal((HttpStatusCode.Forbidden, "Platform admin required for this endpoint."), asFan);
    }
}
