using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FanForge.Api.Memberships;
using FanForge.GrainInterfaces.Errors;
using FanForge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FanForge.Tests.Memberships;

/// <summary>
/// The Bauni routes on the development host, fed by a signed <c>MEMBERSHIP:BAUNI</c> group through /submit-group
/// and the chain watcher; the development clock then ends the membership. (Own factory per class: the clock moves.)
/// </summary>
public sealed class BauniApiTests(FanForgeApiFactory factory) : IClassFixture<FanForgeApiFactory>
{
    private static readonly TestWallet Creator = new(240);
    private static readonly TestWallet Fan = new(241);
    private static readonly TestWallet Stranger = new(242);

    private Task<JsonElement> MembershipAsync(TestWallet fan) =>
        factory.CreateClient().GetFromJsonAsync<JsonElement>($"/bauni/{fan.Address}/membership/{Creator.Address}")!;

    private async Task<JsonElement> VerifyAsync(TestWallet fan)
    {
        var response = await factory.CreateClient().PostAsJsonAsync("/bauni/verify", new { fan_wallet = fan.Address, creator_wallet = Creator.Address });
        return await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task A_signed_membership_group_makes_the_fan_a_member_until_the_clock_passes_the_expiry()
    {
        var grains = factory.Services.GetRequiredService<IGrainFactory>();
        var app = await factory.RegisterCreatorAsync(Creator);
        var denied = await Assert.ThrowsAsync<DomainException>(() => MembershipGate.RequireActiveAsync(grains, Fan.Address, Creator.Address));
        Assert.Equal((DomainErrorKind.Forbidden, "membership_required"), (denied.Kind, denied.Code));
        Assert.Contains("5.0 ALGO with memo 'MEMBERSHIP:BAUNI'", denied.Message);

        var (status, body) = await factory.SubmitGroupAsync(Tipping.TipGroup(Fan, app, 5_000_000, "MEMBERSHIP:BAUNI", 60_000_000));
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        var submittedAt = DateTimeOffset.UtcNow;

        var membership = await ClusterHosts.EventuallyAsync(() => MembershipAsync(Fan), m => m.GetProperty("is_valid").GetBoolean(), TimeSpan.FromSeconds(10), "membership");
        var expiresAt = membership.GetProperty("expires_at").GetDateTimeOffset();
        Assert.InRange(expiresAt, submittedAt.AddDays(30).AddSeconds(-10), submittedAt.AddDays(30).AddSeconds(10));
        Assert.Equal((Fan.Address, Creator.Address), (membership.GetProperty("fan_wallet").GetString(), membership.GetProperty("creator_wallet").GetString()));
        Assert.Equal((29, 5.0m, 30), (membership.GetProperty("days_remaining").GetInt32(), membership.GetProperty("cost_algo").GetDecimal(), membership.GetProperty("validity_days").GetInt32()));
        Assert.True((await VerifyAsync(Fan)).GetProperty("is_valid").GetBoolean());
        Assert.Equal("Access granted — active Bauni membership", (await VerifyAsync(Fan)).GetProperty("message").GetString());
        await MembershipGate.RequireActiveAsync(grains, Fan.Address, Creator.Address);
        var list = await factory.CreateClient().GetFromJsonAsync<JsonElement>($"/bauni/{Fan.Address}/memberships?active_only=true");
        var row = Assert.Single(list.GetProperty("memberships").EnumerateArray());
        Assert.Equal((Creator.Address, true, false, 5.0m), (row.GetProperty("creator_wallet").GetString(), row.GetProperty("is_active").GetBoolean(),
            row.GetProperty("is_expired").GetBoolean(), row.GetProperty("amount_paid_algo").GetDecimal()));

        var advance = await factory.CreateClient().PostAsJsonAsync("/simulate/clock/advance", new { seconds = 30 * 24 * 3600 + 10 });
        Assert.Equal(HttpStatusCode.OK, advance.StatusCode);

        var expired = await MembershipAsync(Fan);
        Assert.False(expired.GetProperty("is_valid").GetBoolean());
        Assert.Equal(expiresAt, expired.GetProperty("expires_at").GetDateTimeOffset());
        Assert.Equal(0, expired.GetProperty("days_remaining").GetInt32());
        var verify = await VerifyAsync(Fan);
        Assert.False(verify.GetProperty("is_valid").GetBoolean());
        Assert.Equal("Access denied — no active Bauni membership. Purchase for 5.0 ALGO.", verify.GetProperty("message").GetString());
        Assert.Equal(0, (await factory.CreateClient().GetFromJsonAsync<JsonElement>($"/bauni/{Fan.Address}/memberships?active_only=true")).GetProperty("total").GetInt32());
        var all = await factory.CreateClient().GetFromJsonAsync<JsonElement>($"/bauni/{Fan.Address}/memberships");
        Assert.True(Assert.Single(all.GetProperty("memberships").EnumerateArray()).GetProperty("is_expired").GetBoolean());
        await Assert.ThrowsAsync<DomainException>(() => MembershipGate.RequireActiveAsync(grains, Fan.Address, Creator.Address));
    }

    [Fact]
    public async Task A_wallet_that_never_bought_has_the_empty_form()
    {
        var body = await MembershipAsync(Stranger);

        Assert.False(body.GetProperty("is_valid").GetBoolean());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("expires_at").ValueKind);
        Assert.Equal(0, (await factory.CreateClient().GetFromJsonAsync<JsonElement>($"/bauni/{Stranger.Address}/memberships")).GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("/bauni/NOTAWALLET/membership/{creator}")]
    [InlineData("/bauni/{creator}/membership/NOTAWALLET")]
    [InlineData("/bauni/NOTAWALLET/memberships")]
    public async Task A_malformed_wallet_is_a_400(string path)
    {
        var response = await factory.CreateClient().GetAsync(path.Replace("{creator}", Creator.Address, StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("success").GetBoolean());
    }

    [Fact]
    public async Task Verify_without_a_wallet_is_a_400_and_the_clock_only_moves_forward()
    {
        var verify = await factory.CreateClient().PostAsJsonAsync("/bauni/verify", new { fan_wallet = Fan.Address });
        var backwards = await factory.CreateClient().PostAsJsonAsync("/simulate/clock/advance", new { seconds = -5 });

        Assert.Equal(HttpStatusCode.BadRequest, verify.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, backwards.StatusCode);
        Assert.Equal("validation", (await backwards.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString());
    }
}
