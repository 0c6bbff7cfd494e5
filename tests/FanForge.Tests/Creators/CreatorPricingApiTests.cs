using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FanForge.Tests.Infrastructure;

namespace FanForge.Tests.Creators;

/// <summary>
/// A creator's own prices over HTTP: read publicly, changed only by the creator, validated (nothing changes on bad
/// input), idempotent, and applied by the payment pipeline to the next purchase on chain.
/// </summary>
public sealed class CreatorPricingApiTests(FanForgeApiFactory factory) : IClassFixture<FanForgeApiFactory>
{
    private static readonly TestWallet Creator = new(170);
    private static readonly TestWallet Fan = new(171);

    private Task<JsonElement> PricingAsync() => factory.CreateClient().GetFromJsonAsync<JsonElement>($"/creator/{Creator.Address}/pricing");

    [Fact]
    public async Task The_creator_sets_its_prices_bad_input_changes_nothing_and_the_next_purchase_pays_the_new_price()
    {
        var app = await factory.RegisterCreatorAsync(Creator);
        var before = await PricingAsync();
        Assert.Equal(JsonValueKind.Null, before.GetProperty("effective_from_round").ValueKind);
        Assert.Equal((5.0m, 30, 2.0m, 0.5m), (before.GetProperty("prices").GetProperty("membership_price_algo").GetDecimal(),
            before.GetProperty("prices").GetProperty("membership_validity_days").GetInt32(), before.GetProperty("prices").GetProperty("shawty_price_algo").GetDecimal(),
            before.GetProperty("prices").GetProperty("butki_min_tip_algo").GetDecimal()));

        var creatorHttp = await factory.CreateClientAsync(Creator);
        var fanHttp = await factory.CreateClientAsync(Fan);
        var path = $"/creator/{Creator.Address}/pricing";
        await HttpAssert.ErrorAsync(await fanHttp.PatchAsJsonAsync(path, new { membership_price_algo = 3.0 }), HttpStatusCode.Forbidden, "forbidden");
        await HttpAssert.ErrorAsync(await creatorHttp.PatchAsJsonAsync(path, new { membership_price_algo = 3.0, shawty_price_algo = 0.01 }), HttpStatusCode.BadRequest, "invalid_pricing");
        await HttpAssert.ErrorAsync(await creatorHttp.PatchAsJsonAsync(path, new { membership_price_algo = 3.0, membership_validity_days = 400 }), HttpStatusCode.BadRequest, "invalid_pricing");
        await HttpAssert.ErrorAsync(await creatorHttp.PatchAsJsonAsync(path, new { membership_price_algo = 3.0000001 }), HttpStatusCode.BadRequest, "invalid_pricing");
        await HttpAssert.ErrorAsync(await creatorHttp.PatchAsJsonAsync(path, new { }), HttpStatusCode.BadRequest, "invalid_pricing");
        await HttpAssert.ErrorAsync(await creatorHttp.PatchAsJsonAsync(path, new { membership_price_algo = "three" }), HttpStatusCode.BadRequest, "malformed_json");
        Assert.Equal(before.GetRawText(), (await PricingAsync()).GetRawText());

        var roundBefore = (await factory.CreateClient().GetFromJsonAsync<JsonElement>("/params")).GetProperty("firstValidRound").GetUInt64();
        var changed = await HttpAssert.OkAsync(await creatorHttp.PatchAsJsonAsync(path, new { membership_price_algo = 3.0, membership_validity_days = 10 }));
        var again = await HttpAssert.OkAsync(await creatorHttp.PatchAsJsonAsync(path, new { membership_price_algo = 3.0, membership_validity_days = 10 }));
        var from = changed.GetProperty("effective_from_round").GetUInt64();
        Assert.True(from > roundBefore, $"effective from {from}, the chain was at {roundBefore}");
        Assert.Equal((3.0m, 3_000_000L, 10, 2.0m), (changed.GetProperty("prices").GetProperty("membership_price_algo").GetDecimal(),
            changed.GetProperty("prices").GetProperty("membership_price_micro").GetInt64(), changed.GetProperty("prices").GetProperty("membership_validity_days").GetInt32(),
            changed.GetProperty("prices").GetProperty("shawty_price_algo").GetDecimal()));
        Assert.Equal(changed.GetRawText(), again.GetRawText());
        Assert.Equal(1, (await PricingAsync()).GetProperty("history").GetArrayLength());
        Assert.Equal(5.0m, changed.GetProperty("defaults").GetProperty("membership_price_algo").GetDecimal());

        // 3 ALGO was a plain tip at the old price; confirmed after the change, it buys ten days.
        var (status, body) = await factory.SubmitGroupAsync(Tipping.TipGroup(Fan, app, 3_000_000, "MEMBERSHIP:BAUNI", from));
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        var submittedAt = DateTimeOffset.UtcNow;
        var membership = await ClusterHosts.EventuallyAsync(
            () => factory.CreateClient().GetFromJsonAsync<JsonElement>($"/bauni/{Fan.Address}/membership/{Creator.Address}"),
            m => m.GetProperty("is_valid").GetBoolean(), TimeSpan.FromSeconds(10), "the membership at the new price");
        Assert.InRange(membership.GetProperty("expires_at").GetDateTimeOffset(), submittedAt.AddDays(10).AddSeconds(-10), submittedAt.AddDays(10).AddSeconds(10));
        Assert.Equal((3.0m, 10), (membership.GetProperty("cost_algo").GetDecimal(), membership.GetProperty("validity_days").GetInt32()));
    }
}
