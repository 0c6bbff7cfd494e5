using FanForge.Grains.Onramp;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;

namespace FanForge.Tests.Onramp;

/// <summary>What the Transak settings switch on, and where they send requests.</summary>
public sealed class TransakSettingsTests
{
    [Fact]
    public void Webhooks_need_a_configured_token_or_the_session_api_and_the_session_api_needs_key_and_secret()
    {
        Assert.False(new TransakSettings { ApiKey = "pk_test" }.WebhooksEnabled);
        Assert.False(new TransakSettings { ApiSecret = "secret" }.SessionApiEnabled);
        Assert.True(new TransakSettings { ApiKey = "pk_test", AccessToken = "configured-token" }.WebhooksEnabled);
        Assert.False(new TransakSettings { ApiKey = "pk_test", AccessToken = "configured-token" }.SessionApiEnabled);
        Assert.True(new TransakSettings { ApiKey = "pk_test", ApiSecret = "secret" } is { SessionApiEnabled: true, WebhooksEnabled: true });
    }

    [Fact]
    public void Transak_urls_follow_the_environment_unless_overridden()
    {
        var staging = new TransakSettings();
        var production = new TransakSettings { Environment = "PRODUCTION" };
        var overridden = new TransakSettings { Environment = "PRODUCTION", ApiBase = new("http://127.0.0.1:9/"), GatewayBase = new("http://127.0.0.1:10/") };

        Assert.Equal(("https://api-stg.transak.com/", "https://api-gateway-stg.transak.com/"), (staging.PartnerApi.ToString(), staging.Gateway.ToString()));
        Assert.Equal(("https://api.transak.com/", "https://api-gateway.transak.com/"), (production.PartnerApi.ToString(), production.Gateway.ToString()));
        Assert.Equal(("http://127.0.0.1:9/", "http://127.0.0.1:10/"), (overridden.PartnerApi.ToString(), overridden.Gateway.ToString()));
    }

    [Fact]
    public void A_configured_access_token_too_short_to_key_HS256_is_refused_without_echoing_it()
    {
        var rules = new TransakSettingsRules(new HostingEnvironment { EnvironmentName = Environments.Development });
        const string Short = "short-token-0123456789";

        var refused = rules.Validate(null, new TransakSettings { AccessToken = "fine-" + new string('x', 40), PreviousAccessToken = Short });
        var accepted = rules.Validate(null, new TransakSettings { AccessToken = TransakTokens.AccessToken });

        Assert.True(refused.Failed);
        Assert.Contains("Transak:PreviousAccessToken must be at least 32 bytes", refused.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain(Short, refused.FailureMessage, StringComparison.Ordinal);
        Assert.True(accepted.Succeeded);
    }
}
