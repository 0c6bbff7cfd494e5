using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using FanForge.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace FanForge.Tests.Auth;

/// <summary>The API with a refresh reuse grace of 30 s and a clock the test drives.</summary>
public sealed class ReuseGraceApiFactory : ClockedApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Auth:RefreshReuseGrace", "00:00:30");
    }
}

/// <summary>
/// A rotated refresh token presented again means a copy may exist: the session ends, every token of it. By default
/// there is no grace, so of concurrent refreshes of one token exactly one succeeds.
/// </summary>
public sealed class RefreshReuseTests(FanForgeApiFactory factory) : IClassFixture<FanForgeApiFactory>
{
    private static int seedCounter = 160;

    private static TestWallet NewWallet() => new((byte)Interlocked.Increment(ref seedCounter));

    internal static async Task<(HttpStatusCode Status, JsonElement Body)> RefreshAsync(HttpClient http, string refreshToken)
    {
        var response = await http.PostAsJsonAsync("/auth/refresh", new { refreshToken });
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    internal static string Token(JsonElement body, string name) => body.GetProperty(name).GetString()!;

    /// <summary>The status of an authenticated read with <paramref name="accessToken"/>.</summary>
    internal static async Task<HttpStatusCode> ReadWithAsync(HttpClient http, TestWallet wallet, string accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/fan/{wallet.Address}/orders");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return (await http.SendAsync(request)).StatusCode;
    }

    [Fact]
    public async Task Presenting_a_rotated_token_again_ends_the_session_and_its_live_tokens()
    {
        var wallet = NewWallet();
        var http = factory.CreateClient();
        var first = Token(await factory.LoginAsync(wallet), "refreshToken");
        var (status, rotated) = await RefreshAsync(http, first);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(HttpStatusCode.OK, await ReadWithAsync(http, wallet, Token(rotated, "accessToken")));

        var reuse = await RefreshAsync(http, first);

        Assert.Equal(HttpStatusCode.Unauthorized, reuse.Status);
        Assert.Equal("invalid_refresh_token", reuse.Body.GetProperty("error").GetProperty("code").GetString());
        Assert.False(reuse.Body.GetProperty("success").GetBoolean());
        // The live refresh token and the access token issued with it are dead too.
        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(http, Token(rotated, "refreshToken"))).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, await ReadWithAsync(http, wallet, Token(rotated, "accessToken")));
    }

    [Fact]
    public async Task Of_ten_concurrent_refreshes_of_one_token_exactly_one_succeeds()
    {
        var first = Token(await factory.LoginAsync(NewWallet()), "refreshToken");
        using var start = new SemaphoreSlim(0);
        var attempts = Enumerable.Range(0, 10).Select(async _ =>
        {
            var http = factory.CreateClient();
            await start.WaitAsync();
            return await RefreshAsync(http, first);
        }).ToList();
        start.Release(10);

        var results = await Task.WhenAll(attempts);

        Assert.Single(results, r => r.Status == HttpStatusCode.OK);
        Assert.All(results.Where(r => r.Status != HttpStatusCode.OK), r =>
        {
            Assert.Equal(HttpStatusCode.Unauthorized, r.Status);
            Assert.Equal("invalid_refresh_token", r.Body.GetProperty("error").GetProperty("code").GetString());
        });
    }
}

/// <summary>With <c>Auth:RefreshReuseGrace</c> set, the token just replaced gets the live one only within the grace.</summary>
public sealed class RefreshReuseGraceTests(ReuseGraceApiFactory factory) : IClassFixture<ReuseGraceApiFactory>
{
    private static int seedCounter = 190;

    private static TestWallet NewWallet() => new((byte)Interlocked.Increment(ref seedCounter));

    [Fact]
    public async Task Within_the_grace_the_replaced_token_gets_the_live_one_and_after_it_ends_the_session()
    {
        var http = factory.CreateClient();
        var first = RefreshReuseTests.Token(await factory.LoginAsync(NewWallet()), "refreshToken");
        var rotated = await RefreshReuseTests.RefreshAsync(http, first);

        factory.Time.Advance(TimeSpan.FromSeconds(29));
        var twin = await RefreshReuseTests.RefreshAsync(http, first);
        Assert.Equal(HttpStatusCode.OK, twin.Status);
        Assert.Equal(RefreshReuseTests.Token(rotated.Body, "refreshToken"), RefreshReuseTests.Token(twin.Body, "refreshToken"));

        factory.Time.Advance(TimeSpan.FromSeconds(2));
        var late = await RefreshReuseTests.RefreshAsync(http, first);
        Assert.Equal(HttpStatusCode.Unauthorized, late.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshReuseTests.RefreshAsync(http, RefreshReuseTests.Token(rotated.Body, "refreshToken"))).Status);
    }
}
