using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FanForge.Tests.Infrastructure;

namespace FanForge.Tests.Auth;

public sealed class CreatorRegistrationTests(FanForgeApiFactory factory) : IClassFixture<FanForgeApiFactory>
{
    [Fact]
    public async Task A_fan_registers_with_snake_case_body_and_later_logins_carry_the_creator_role()
    {
        var wallet = new TestWallet(31);
        var http = await factory.CreateClientAsync(wallet);

        var response = await http.PostAsJsonAsync("/creator/register", new { wallet_address = wallet.Address, min_tip_algo = 0.5 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(wallet.Address, body.GetProperty("walletAddress").GetString());
        Assert.Equal(0.5m, body.GetProperty("minTipAlgo").GetDecimal());
        Assert.Equal("creator", (await factory.LoginAsync(wallet)).GetProperty("role").GetString());
    }

    [Fact]
    public async Task Registering_twice_is_a_409_and_keeps_the_first_registration()
    {
        var wallet = new TestWallet(32);
        var http = await factory.CreateClientAsync(wallet);
        await http.PostAsJsonAsync("/creator/register", new { walletAddress = wallet.Address, minTipAlgo = 2 });

        var second = await http.PostAsJsonAsync("/creator/register", new { walletAddress = wallet.Address, minTipAlgo = 9 });

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        var error = (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal("already_registered", error.GetProperty("code").GetString());
        var original = await http.PostAsJsonAsync("/creator/register", new { walletAddress = wallet.Address, minTipAlgo = 2 });
        Assert.Equal(2m, (await original.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("minTipAlgo").GetDecimal());
    }

    [Fact]
    public async Task A_retried_identical_registration_returns_the_first_result()
    {
        var wallet = new TestWallet(36);
        var http = await factory.CreateClientAsync(wallet);
        var body = new { walletAddress = wallet.Address, username = "mira", minTipAlgo = 1.5 };
        var first = await (await http.PostAsJsonAsync("/creator/register", body)).Content.ReadFromJsonAsync<JsonElement>();

        var retry = await http.PostAsJsonAsync("/creator/register", body);

        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(first.ToString(), (await retry.Content.ReadFromJsonAsync<JsonElement>()).ToString());
    }

    [Fact]
    public async Task Registering_another_wallet_is_forbidden()
    {
        var http = await factory.CreateClientAsync(new TestWallet(33));

        var response = await http.PostAsJsonAsync("/creator/register", new { walletAddress = new TestWallet(34).Address });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Authenticated wallet does not match request wallet.",
            (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("message").GetString());
    }

    [Theory]
    [InlineData(0.05)]
    [InlineData(1000.5)]
    public async Task Registering_with_a_min_tip_out_of_range_is_a_400(double minTipAlgo)
    {
        var wallet = new TestWallet(35);
        var http = await factory.CreateClientAsync(wallet);

        var response = await http.PostAsJsonAsync("/creator/register", new { walletAddress = wallet.Address, minTipAlgo });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
