using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;

namespace FanForge.Tests.Hosting;

/// <summary>
/// The API host started as Production with a complete, valid configuration, then with one dev default each:
/// every dev default stops the start with a message naming it.
/// </summary>
public sealed class ProductionGuardTests
{
    private const string ProductionKey = "prod-signing-key-0123456789-abcdefghijklmnopqrstuvwxyz";
    private const string ApiSecret = "transak-guard-secret-0123456789";

    private static Dictionary<string, string?> ValidProductionSettings() => new()
    {
        ["Cluster:Provider"] = "Postgres",
        ["Cluster:ClusterId"] = "guard-" + Guid.NewGuid().ToString("N")[..8],
        // Nothing listens on port 1: a host that passes every guard fails later, connecting.
        ["ConnectionStrings:Postgres"] = "Host=127.0.0.1;Port=1;Database=fanforge;Username=fanforge;Password=x;Timeout=1",
        ["Api:Hosting"] = "Client",
        ["Auth:JwtSigningKey"] = ProductionKey,
        ["Cors:AllowedOrigins:0"] = "https://app.fanforge.example",
    };

    private static Exception? StartProduction(Action<Dictionary<string, string?>> change)
    {
        var settings = ValidProductionSettings();
        change(settings);
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Production");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        });
        return Record.Exception(() => factory.Server);
    }

    public static TheoryData<string, string?, string> DevDefaults() => new()
    {
        { "Auth:JwtSigningKey", null, "Auth:JwtSigningKey" },
        { "Auth:JwtSigningKey", "too-short-key", "at least 32 bytes" },
        { "Auth:JwtSigningKey", "fanforge-development-only-signing-key-do-not-use-in-production", "development default" },
        { "Cors:AllowedOrigins:0", "*", "not '*'" },
        { "Api:SimulationEndpoints", "true", "Api:SimulationEndpoints must be off in production" },
        { "Ipfs:Provider", "Local", "Ipfs:Provider Local is a development store" },
    };

    [Theory]
    [MemberData(nameof(DevDefaults))]
    public void Production_refuses_to_start_with_a_dev_default(string key, string? value, string reason)
    {
        var failure = StartProduction(s => s[key] = value);

        var refused = Assert.IsType<OptionsValidationException>(failure);
        Assert.Contains(reason, refused.Message);
        Assert.DoesNotContain(ProductionKey, refused.Message);
    }

    [Fact]
    public void Production_refuses_a_stripe_secret_key_without_the_webhook_secret()
    {
        const string SecretKey = "sk_live_guard_0123456789";

        var failure = StartProduction(s => s["Stripe:SecretKey"] = SecretKey);

        var refused = Assert.IsType<OptionsValidationException>(failure);
        Assert.Contains("Stripe:WebhookSecret is required", refused.Message);
        Assert.DoesNotContain(SecretKey, refused.Message);
    }

    [Theory]
    [InlineData(null, null, "Transak:ApiSecret is required in production")]
    [InlineData(ApiSecret, null, "Transak:ReferrerDomain is required")]
    public void Production_refuses_a_transak_api_key_without_the_secret_and_the_referrer_domain(string? secret, string? referrer, string reason)
    {
        var failure = StartProduction(s => (s["Transak:ApiKey"], s["Transak:ApiSecret"], s["Transak:ReferrerDomain"]) = ("transak-guard-key", secret, referrer));

        var refused = Assert.IsType<OptionsValidationException>(failure);
        Assert.Contains(reason, refused.Message);
        Assert.DoesNotContain(ApiSecret, refused.Message);
    }

    [Fact]
    public void Production_starts_past_every_guard_with_a_complete_transak_section()
    {
        var failure = StartProduction(s => (s["Transak:ApiKey"], s["Transak:ApiSecret"], s["Transak:ReferrerDomain"]) = ("transak-guard-key", ApiSecret, "app.fanforge.example"));

        Assert.IsType<Npgsql.NpgsqlException>(failure);
    }

    [Fact]
    public void Production_refuses_an_unknown_transak_environment()
    {
        var failure = StartProduction(s => s["Transak:Environment"] = "SANDBOX");

        Assert.Contains("Transak:Environment must be STAGING or PRODUCTION", Assert.IsType<OptionsValidationException>(failure).Message);
    }

    [Fact]
    public void Production_starts_past_every_guard_with_stripe_keys_in_pairs()
    {
        var failure = StartProduction(s => (s["Stripe:SecretKey"], s["Stripe:WebhookSecret"]) = ("sk_live_guard_0123456789", "whsec_guard"));

        Assert.IsType<Npgsql.NpgsqlException>(failure);
    }

    [Fact]
    public void Production_starts_past_every_guard_with_a_complete_configuration()
    {
        var failure = StartProduction(_ => { });

        // It gets as far as connecting to the (absent) database: no guard objected.
        Assert.IsType<Npgsql.NpgsqlException>(failure);
    }
}
