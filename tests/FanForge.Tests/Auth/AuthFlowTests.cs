using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FanForge.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FanForge.Tests.Auth;

/// <summary>The API with a clock the test drives, so expiry is tested at its exact instant.</summary>
public class ClockedApiFactory : FanForgeApiFactory
{
    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(s => s.AddSingleton<TimeProvider>(Time));
    }

    /// <summary>The co-hosted silo's shutdown waits on this clock: it moves on until the host has stopped.</summary>
    public override async ValueTask DisposeAsync() => await Time.AdvanceUntilAsync(base.DisposeAsync().AsTask());
}

public sealed class AuthFlowTests(ClockedApiFactory factory) : IClassFixture<ClockedApiFactory>
{
    private const string DevKey = "fanforge-development-only-signing-key-do-not-use-in-production";

    private static int seedCounter = 100;

    // A fresh wallet per test keeps tests independent inside one host.
    private static TestWallet NewWallet() => new((byte)Interlocked.Increment(ref seedCounter));

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(HttpClient http, string path, object body)
    {
        var response = await http.PostAsJsonAsync(path, body);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private static string Code(JsonElement body) => body.GetProperty("error").GetProperty("code").GetString()!;

    private async Task<string> ChallengeAsync(HttpClient http, TestWallet wallet)
    {
        var (status, body) = await PostAsync(http, "/auth/challenge", new { walletAddress = wallet.Address });
        Assert.Equal(HttpStatusCode.OK, status);
        return body.GetProperty("nonce").GetString()!;
    }

    [Fact]
    public async Task Challenge_returns_a_url_safe_nonce_of_256_bits_and_the_prototype_message()
    {
        var wallet = NewWallet();

        var (status, body) = await PostAsync(factory.CreateClient(), "/auth/challenge", new { walletAddress = wallet.Address });

        Assert.Equal(HttpStatusCode.OK, status);
        var nonce = body.GetProperty("nonce").GetString()!;
        Assert.Equal(43, nonce.Length);
        Assert.Matches("^[A-Za-z0-9_-]+$", nonce);
        Assert.Equal(wallet.Address, body.GetProperty("walletAddress").GetString());
        Assert.StartsWith($"FanForge authentication\nWallet: {wallet.Address}\nNonce: {nonce}\nExpiresAt: ", body.GetProperty("message").GetString());
        var expiresAt = body.GetProperty("expiresAt").GetDateTimeOffset();
        Assert.Equal(factory.Time.GetUtcNow().AddMinutes(5), expiresAt);
    }

    [Fact]
    public async Task Verify_with_the_wallets_signature_returns_access_and_refresh_tokens_for_a_fan()
    {
        var wallet = NewWallet();
        var http = factory.CreateClient();
        var nonce = await ChallengeAsync(http, wallet);

        var (status, body) = await PostAsync(http, "/auth/verify", new { walletAddress = wallet.Address, nonce, signature = wallet.SignBytes(nonce) });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("fan", body.GetProperty("role").GetString());
        Assert.Equal("Bearer", body.GetProperty("tokenType").GetString());
        Assert.Equal(900, body.GetProperty("expiresInSeconds").GetInt32());
        var jwt = new JsonWebToken(body.GetProperty("accessToken").GetString());
        Assert.Equal("HS256", jwt.Alg);
        Assert.Equal(wallet.Address, jwt.Subject);
        Assert.Equal("fanforge-api", jwt.Issuer);
        Assert.Contains("fanforge", jwt.Audiences);
        Assert.False(string.IsNullOrEmpty(jwt.Id));
        Assert.Equal("fan", jwt.GetClaim("role").Value);
        Assert.False(string.IsNullOrEmpty(body.GetProperty("refreshToken").GetString()));
    }

    [Fact]
    public async Task Verify_refuses_a_used_nonce()
    {
        var wallet = NewWallet();
        var http = factory.CreateClient();
        var nonce = await ChallengeAsync(http, wallet);
        var request = new { walletAddress = wallet.Address, nonce, signature = wallet.SignBytes(nonce) };
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(http, "/auth/verify", request)).Status);

        var (status, body) = await PostAsync(http, "/auth/verify", request);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_nonce", Code(body));
    }

    [Fact]
    public async Task Verify_refuses_a_nonce_at_the_instant_it_expires()
    {
        var wallet = NewWallet();
        var http = factory.CreateClient();
        var nonce = await ChallengeAsync(http, wallet);
        factory.Time.Advance(TimeSpan.FromMinutes(5));

        var (status, body) = await PostAsync(http, "/auth/verify", new { walletAddress = wallet.Address, nonce, signature = wallet.SignBytes(nonce) });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("nonce_expired", Code(body));
    }

    [Fact]
    public async Task Verify_refuses_a_nonce_issued_to_another_wallet()
    {
        var owner = NewWallet();
        var other = NewWallet();
        var http = factory.CreateClient();
        var nonce = await ChallengeAsync(http, owner);

        var (status, body) = await PostAsync(http, "/auth/verify", new { walletAddress = other.Address, nonce, signature = other.SignBytes(nonce) });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_nonce", Code(body));
    }

    [Fact]
    public async Task Verify_refuses_a_forged_signature_and_keeps_the_nonce_for_the_real_owner()
    {
        var owner = NewWallet();
        var forger = NewWallet();
        var http = factory.CreateClient();
        var nonce = await ChallengeAsync(http, owner);

        var forged = await PostAsync(http, "/auth/verify", new { walletAddress = owner.Address, nonce, signature = forger.SignBytes(nonce) });
        var unprefixed = await PostAsync(http, "/auth/verify", new { walletAddress = owner.Address, nonce, signature = owner.SignWithoutPrefix(nonce) });
        var genuine = await PostAsync(http, "/auth/verify", new { walletAddress = owner.Address, nonce, signature = owner.SignBytes(nonce) });

        Assert.Equal(HttpStatusCode.Unauthorized, forged.Status);
        Assert.Equal("invalid_signature", Code(forged.Body));
        Assert.Equal(HttpStatusCode.Unauthorized, unprefixed.Status);
        Assert.Equal(HttpStatusCode.OK, genuine.Status);
    }

    [Theory]
    [InlineData("not base64 !!", "invalid_signature_encoding")]
    [InlineData("c2hvcnQ=", "invalid_signature_encoding")]
    public async Task Verify_refuses_a_malformed_signature_with_400(string signature, string code)
    {
        var wallet = NewWallet();
        var http = factory.CreateClient();
        var nonce = await ChallengeAsync(http, wallet);

        var (status, body) = await PostAsync(http, "/auth/verify", new { walletAddress = wallet.Address, nonce, signature });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(code, Code(body));
    }

    [Theory]
    [InlineData("")]
    [InlineData("RKEOHXLUBHYZL7KS3MWTZOS5OLFGOCN7DWKBEG7TOSEADNAPN5OOTUNSLA")]
    [InlineData("tooshort")]
    public async Task Challenge_refuses_an_invalid_wallet_with_400(string walletAddress)
    {
        var (status, body) = await PostAsync(factory.CreateClient(), "/auth/challenge", new { walletAddress });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_wallet", Code(body));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc.0.forged")]
    [InlineData("no-dots")]
    public async Task Refresh_refuses_a_token_it_did_not_issue(string refreshToken)
    {
        var (status, body) = await PostAsync(factory.CreateClient(), "/auth/refresh", new { refreshToken });

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("invalid_refresh_token", Code(body));
    }

    [Fact]
    public async Task Logout_ends_the_access_token_and_the_refresh_token()
    {
        var wallet = NewWallet();
        var login = await factory.LoginAsync(wallet);
        var http = factory.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", login.GetProperty("accessToken").GetString());
        var registerBody = new { walletAddress = wallet.Address, minTipAlgo = 1.0 };

        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync("/auth/logout", null)).StatusCode);

        var afterLogout = await PostAsync(http, "/creator/register", registerBody);
        var refresh = await PostAsync(factory.CreateClient(), "/auth/refresh", new { refreshToken = login.GetProperty("refreshToken").GetString() });
        Assert.Equal(HttpStatusCode.Unauthorized, afterLogout.Status);
        Assert.Equal("Session ended. Log in again.", afterLogout.Body.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, refresh.Status);
    }

    public static TheoryData<string> TamperedTokens()
    {
        var key = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(DevKey));
        var wrongKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes("another-key-that-is-at-least-thirty-two-bytes-long"));
        string Sign(SymmetricSecurityKey k, DateTime expires) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "fanforge-api",
            Audience = "fanforge",
            IssuedAt = expires.AddMinutes(-15),
            NotBefore = expires.AddMinutes(-15),
            Expires = expires,
            Claims = new Dictionary<string, object> { ["sub"] = new TestWallet(250).Address, ["role"] = "creator", ["sid"] = "x" },
            SigningCredentials = new SigningCredentials(k, SecurityAlgorithms.HmacSha256),
        });
        var header = Convert.ToBase64String("{\"alg\":\"none\",\"typ\":\"JWT\"}"u8.ToArray()).TrimEnd('=');
        var payload = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{{\"sub\":\"{new TestWallet(250).Address}\",\"iss\":\"fanforge-api\",\"aud\":\"fanforge\",\"exp\":4102444800}}")).TrimEnd('=');
        return new TheoryData<string>
        {
            Sign(wrongKey, DateTime.UtcNow.AddMinutes(10)),
            Sign(key, DateTime.UtcNow.AddMinutes(-10)),
            $"{header}.{payload}.",
            "garbage",
        };
    }

    [Theory]
    [MemberData(nameof(TamperedTokens))]
    public async Task Protected_routes_refuse_forged_expired_and_unsigned_tokens(string token)
    {
        var http = factory.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var (status, body) = await PostAsync(http, "/creator/register", new { walletAddress = new TestWallet(250).Address });

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("unauthorized", Code(body));
    }

    [Fact]
    public async Task An_access_token_expires_on_the_api_clock_after_its_lifetime_and_the_skew()
    {
        var wallet = NewWallet();
        var http = await factory.CreateClientAsync(wallet);
        var outOfRange = new { walletAddress = wallet.Address, minTipAlgo = 0 };

        factory.Time.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(29));
        var withinSkew = await PostAsync(http, "/creator/register", outOfRange);
        factory.Time.Advance(TimeSpan.FromSeconds(2));
        var expired = await PostAsync(http, "/creator/register", outOfRange);

        Assert.Equal(HttpStatusCode.BadRequest, withinSkew.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.Status);
        Assert.Equal("Access token expired.", expired.Body.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_token_whose_payload_was_edited_is_refused()
    {
        var victim = NewWallet();
        var attacker = NewWallet();
        var token = (await factory.LoginAsync(attacker)).GetProperty("accessToken").GetString()!;
        var parts = token.Split('.');
        var claims = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Base64UrlEncoder.Decode(parts[1]))!;
        claims["sub"] = JsonSerializer.SerializeToElement(victim.Address);
        var edited = $"{parts[0]}.{Base64UrlEncoder.Encode(JsonSerializer.Serialize(claims))}.{parts[2]}";
        var http = factory.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", edited);

        var (status, _) = await PostAsync(http, "/creator/register", new { walletAddress = victim.Address });

        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }
}
