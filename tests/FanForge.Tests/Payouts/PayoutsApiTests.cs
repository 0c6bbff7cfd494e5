using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FanForge.Grains.Algorand;
using FanForge.GrainInterfaces.Payouts;
using FanForge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FanForge.Tests.Payouts;

/// <summary>The payout routes on the development host: a real registration, the frontend's tips, the simulated ledger.</summary>
public sealed class PayoutsApiTests(FanForgeApiFactory factory) : IClassFixture<FanForgeApiFactory>
{
    private static TestWallet NewWallet() => new(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    private static int firstValid = 91_000_000;

    private ICreatorPayouts Grain(TestWallet creator) =>
        factory.Services.GetRequiredService<IGrainFactory>().GetGrain<ICreatorPayouts>(creator.Address);

    private static Task<HttpResponseMessage> PutAsync(HttpClient http, TestWallet creator, object body) =>
        http.PutAsJsonAsync($"/creator/{creator.Address}/payouts/schedule", body);

    private async Task TipAsync((ulong AppId, AlgorandAddress AppAddress) app, ulong microAlgo)
    {
        var (status, body) = await factory.SubmitGroupAsync(Tipping.TipGroup(NewWallet(), app, microAlgo, "", (ulong)Interlocked.Increment(ref firstValid)));
        Assert.True(status == HttpStatusCode.OK, body.ToString());
    }

    [Fact]
    public async Task Only_the_creator_reads_and_sets_its_own_payouts()
    {
        var (creator, fan) = (NewWallet(), NewWallet());
        await factory.RegisterCreatorAsync(creator);
        var (creatorHttp, fanHttp, anonymous) = (await factory.CreateClientAsync(creator), await factory.CreateClientAsync(fan), factory.CreateClient());
        var weekly = new { mode = "weekly" };

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/creator/{creator.Address}/payouts")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PutAsync(anonymous, creator, weekly)).StatusCode);
        await HttpAssert.ErrorAsync(await fanHttp.GetAsync($"/creator/{creator.Address}/payouts"), HttpStatusCode.Forbidden, "forbidden");
        await HttpAssert.ErrorAsync(await PutAsync(fanHttp, creator, weekly), HttpStatusCode.Forbidden, "forbidden");
        await HttpAssert.ErrorAsync(await PutAsync(fanHttp, fan, weekly), HttpStatusCode.Forbidden, "forbidden"); // not a creator

        var set = await HttpAssert.OkAsync(await PutAsync(creatorHttp, creator, weekly));
        var read = await HttpAssert.OkAsync(await creatorHttp.GetAsync($"/creator/{creator.Address}/payouts"));

        Assert.Equal((creator.Address, "weekly", true), (set.GetProperty("creator_wallet").GetString(), set.GetProperty("schedule").GetProperty("mode").GetString(), set.GetProperty("changed").GetBoolean()));
        Assert.Equal(("weekly", 0, 0), (read.GetProperty("schedule").GetProperty("mode").GetString(), read.GetProperty("payouts").GetArrayLength(), read.GetProperty("total").GetInt32()));
        Assert.False(read.TryGetProperty("changed", out _));
        Assert.Equal(set.GetProperty("schedule").GetProperty("since").GetDateTimeOffset(), read.GetProperty("schedule").GetProperty("since").GetDateTimeOffset());
    }

    public static TheoryData<string> BadSchedules() => new()
    {
        """{"mode":"monthly"}""",
        """{"threshold_algo":5}""",
        """{"mode":"Weekly"}""",
        """{"mode":"threshold"}""",
        """{"mode":"threshold","threshold_algo":0.5}""",
        """{"mode":"threshold","threshold_algo":1000001}""",
        """{"mode":"threshold","threshold_algo":-2}""",
        """{"mode":"threshold","threshold_algo":1.0000001}""",
        """{"mode":"weekly","threshold_algo":5}""",
        """{"mode":"off","threshold_algo":5}""",
    };

    [Theory]
    [MemberData(nameof(BadSchedules))]
    public async Task A_bad_schedule_is_400_invalid_payout_schedule_and_changes_nothing(string body)
    {
        var creator = NewWallet();
        await factory.RegisterCreatorAsync(creator);
        var http = await factory.CreateClientAsync(creator);
        await HttpAssert.OkAsync(await PutAsync(http, creator, new { mode = "threshold", threshold_algo = 2.5 }));

        var refused = await http.PutAsync($"/creator/{creator.Address}/payouts/schedule", new StringContent(body, Encoding.UTF8, "application/json"));

        await HttpAssert.ErrorAsync(refused, HttpStatusCode.BadRequest, PayoutErrors.InvalidPayoutSchedule);
        var schedule = (await HttpAssert.OkAsync(await http.GetAsync($"/creator/{creator.Address}/payouts"))).GetProperty("schedule");
        Assert.Equal(("threshold", 2.5m, 2_500_000L), (schedule.GetProperty("mode").GetString(), schedule.GetProperty("threshold_algo").GetDecimal(), schedule.GetProperty("threshold_micro").GetInt64()));
    }

    [Fact]
    public async Task Wrong_json_types_and_limits_are_the_usual_400s()
    {
        var creator = NewWallet();
        await factory.RegisterCreatorAsync(creator);
        var http = await factory.CreateClientAsync(creator);

        await HttpAssert.ErrorAsync(await PutAsync(http, creator, new { mode = "threshold", threshold_algo = "five" }), HttpStatusCode.BadRequest, "malformed_json");
        await HttpAssert.ErrorAsync(await http.GetAsync($"/creator/{creator.Address}/payouts?limit=0"), HttpStatusCode.BadRequest, "validation");
        await HttpAssert.ErrorAsync(await http.GetAsync($"/creator/{creator.Address}/payouts?limit=101"), HttpStatusCode.BadRequest, "validation");
    }

    [Fact]
    public async Task A_threshold_reached_by_the_frontends_tips_is_paid_to_the_creator_and_listed_once()
    {
        var creator = NewWallet();
        var app = await factory.RegisterCreatorAsync(creator);
        var http = await factory.CreateClientAsync(creator);
        await HttpAssert.OkAsync(await PutAsync(http, creator, new { mode = "threshold", threshold_algo = 3 }));
        var again = await HttpAssert.OkAsync(await PutAsync(http, creator, new { mode = "threshold", threshold_algo = 3.0 }));
        Assert.False(again.GetProperty("changed").GetBoolean());

        await TipAsync(app, 2_000_000);
        await Grain(creator).CheckAsync();
        Assert.Equal(0, (await HttpAssert.OkAsync(await http.GetAsync($"/creator/{creator.Address}/payouts"))).GetProperty("total").GetInt32());

        await TipAsync(app, 1_500_000);
        await Grain(creator).CheckAsync();
        await Grain(creator).CheckAsync();

        var payouts = await HttpAssert.OkAsync(await http.GetAsync($"/creator/{creator.Address}/payouts?limit=5"));
        var row = Assert.Single(payouts.GetProperty("payouts").EnumerateArray());
        // All the tips but the app account's own minimum balance (0.1 ALGO).
        Assert.Equal(("threshold-1", "threshold", "paid", 3.4m, 3_400_000L, app.AppId),
            (row.GetProperty("period").GetString(), row.GetProperty("mode").GetString(), row.GetProperty("status").GetString(),
             row.GetProperty("amount_algo").GetDecimal(), row.GetProperty("amount_micro").GetInt64(), row.GetProperty("app_id").GetUInt64()));
        Assert.Equal(52, row.GetProperty("tx_id").GetString()!.Length);
        Assert.True(row.GetProperty("confirmed_round").GetUInt64() > 0);
    }

    [Fact]
    public async Task The_development_clock_moves_a_weekly_schedule_into_its_first_payout()
    {
        var creator = NewWallet();
        var app = await factory.RegisterCreatorAsync(creator);
        var http = await factory.CreateClientAsync(creator);
        await HttpAssert.OkAsync(await PutAsync(http, creator, new { mode = "weekly" }));
        await TipAsync(app, 2_000_000);
        await Grain(creator).CheckAsync();
        Assert.Equal(0, (await HttpAssert.OkAsync(await http.GetAsync($"/creator/{creator.Address}/payouts"))).GetProperty("total").GetInt32());

        await HttpAssert.OkAsync(await factory.CreateClient().PostAsJsonAsync("/simulate/clock/advance", new { seconds = 7 * 24 * 3600 }));
        await Grain(creator).CheckAsync();

        var row = Assert.Single((await HttpAssert.OkAsync(await http.GetAsync($"/creator/{creator.Address}/payouts"))).GetProperty("payouts").EnumerateArray());
        Assert.Equal(("paid", "weekly"), (row.GetProperty("status").GetString(), row.GetProperty("mode").GetString()));
        Assert.Matches("^[0-9]{4}-W[0-9]{2}$", row.GetProperty("period").GetString());
        Assert.Equal(JsonValueKind.Null, row.GetProperty("detail").ValueKind);
    }
}
