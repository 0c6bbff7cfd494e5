using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using FanForge.Grains.Algorand;
using FanForge.Tests.Infrastructure;
using FanForge.Tests.Templates;

namespace FanForge.Tests.Contract;

/// <summary>
/// One development host (<see cref="TemplatesApiFactory"/>: a platform admin and its own local IPFS folder) and the
/// world the contract walk reads, built once through HTTP only.
/// </summary>
public sealed class ContractWalkFixture : IAsyncLifetime
{
    public TemplatesApiFactory Factory { get; } = new();

    public ContractWorld World { get; private set; } = null!;

    public async Task InitializeAsync() => World = await ContractWorld.BuildAsync(Factory);

    public async Task DisposeAsync() => await Factory.DisposeAsync();
}

/// <summary>
/// A registered creator with a soulbound and a golden template, a product and a pending order; a fan who tipped five
/// times (a Butki badge waits for its claim), bought a Bauni membership and three Shawty tokens, holds an admin-minted
/// golden sticker in custody and opened an on-ramp order; and the tokens of the creator, the fan and the admin.
/// </summary>
public sealed class ContractWorld
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private ulong firstValid = 50_000_000;

    private ContractWorld(TemplatesApiFactory factory) => Factory = factory;

    public TemplatesApiFactory Factory { get; }

    /// <summary>Anonymous; every request of the walk says its own token.</summary>
    public HttpClient Http { get; private set; } = null!;

    public TestWallet Creator { get; } = TemplatesApiFactory.NewWallet();

    public TestWallet Fan { get; } = TemplatesApiFactory.NewWallet();

    /// <summary>Receives the fan's golden sticker, a Shawty token and simulated funding.</summary>
    public TestWallet Friend { get; } = TemplatesApiFactory.NewWallet();

    public (ulong AppId, AlgorandAddress AppAddress) App { get; private set; }

    public string CreatorToken { get; private set; } = "";

    public string FanToken { get; private set; } = "";

    public string AdminToken { get; private set; } = "";

    public long SoulboundTemplateId { get; private set; }

    public long GoldenTemplateId { get; private set; }

    public long BadgeNftId { get; private set; }

    public ulong BadgeAssetId { get; private set; }

    public ulong GoldenAssetId { get; private set; }

    public IReadOnlyList<ulong> ShawtyAssetIds { get; private set; } = [];

    public long ProductId { get; private set; }

    public long OrderId { get; private set; }

    public string PartnerOrderId { get; private set; } = "";

    /// <summary>Set by the walk's template upload; the walk deletes it last.</summary>
    public long? WalkTemplateId { get; set; }

    /// <summary>Set by the walk's product creation; the walk patches and deletes it.</summary>
    public long? WalkProductId { get; set; }

    public static async Task<ContractWorld> BuildAsync(TemplatesApiFactory factory)
    {
        var world = new ContractWorld(factory);
        await world.BuildAsync();
        return world;
    }

    /// <summary>A fresh first-valid round for each group, so no two transactions of the walk share an id.</summary>
    public ulong NextFirstValid() => Interlocked.Increment(ref firstValid);

    /// <summary>A request carrying <paramref name="token"/> (anonymous when null).</summary>
    public static HttpRequestMessage Request(HttpMethod method, string path, string? token = null, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    public static HttpRequestMessage Get(string path, string? token = null) => Request(HttpMethod.Get, path, token);

    public static HttpRequestMessage Post(string path, object? body, string? token = null) =>
        Request(HttpMethod.Post, path, token, body is null ? null : JsonContent.Create(body));

    /// <summary>An access token for <paramref name="wallet"/>, through the real challenge/verify flow.</summary>
    public async Task<string> TokenAsync(TestWallet wallet) => (await Factory.LoginAsync(wallet)).GetProperty("accessToken").GetString()!;

    private async Task<JsonElement> OkAsync(HttpRequestMessage request)
    {
        using (request)
        {
            return await HttpAssert.OkAsync(await Http.SendAsync(request));
        }
    }

    private async Task TipAsync(ulong microAlgo, string memo)
    {
        var (status, body) = await Factory.SubmitGroupAsync(Tipping.TipGroup(Fan, App, microAlgo, memo, NextFirstValid()));
        Assert.True(status == HttpStatusCode.OK, $"tip '{memo}' of {microAlgo}: {(int)status} {body}");
    }

    private Task<JsonElement> EventuallyAsync(string path, string? token, Func<JsonElement, bool> done, string what) =>
        ClusterHosts.EventuallyAsync(() => OkAsync(Get(path, token)), done, Patience, what);

    private async Task BuildAsync()
    {
        Http = Factory.CreateClient();
        App = await Factory.RegisterCreatorAsync(Creator, "walker");
        (CreatorToken, FanToken, AdminToken) = (await TokenAsync(Creator), await TokenAsync(Fan), await TokenAsync(TemplatesApiFactory.Admin));

        var creatorPath = $"/creator/{Creator.Address}";
        SoulboundTemplateId = (await OkAsync(Request(HttpMethod.Post, $"{creatorPath}/sticker-template", CreatorToken,
            TemplatesApiFactory.Form("Walk Heart", TemplatesApiFactory.Png(), "soulbound", "walk_heart")))).GetProperty("id").GetInt64();
        GoldenTemplateId = (await OkAsync(Request(HttpMethod.Post, $"{creatorPath}/sticker-template", CreatorToken,
            TemplatesApiFactory.Form("Walk Crown", TemplatesApiFactory.Png(), "golden", "walk_crown")))).GetProperty("id").GetInt64();

        // Five tips earn a Butki badge; then a Bauni membership and three Shawty tokens (one each to burn, lock and give).
        // The purchases wait for the badge to be minted and counted, and the reads below for every payment to be
        // applied: a payment applied while the badge is being counted, or a read fanning out over the fan's pairs
        // while a payment is applied, stalls both for Orleans' 30 s response timeout (a grain call cycle: the pair
        // and the creator's ledger, or the pair and the fan's index, each waiting on the other).
        for (var i = 0; i < 5; i++)
        {
            await TipAsync(1_000_000, "");
        }

        await EventuallyAsync($"/butki/{Fan.Address}/loyalty/{Creator.Address}", null,
            l => l.GetProperty("last_badge_asset_id").ValueKind == JsonValueKind.Number, "the Butki badge counted");
        await TipAsync(5_000_000, "MEMBERSHIP:BAUNI");
        for (var i = 0; i < 3; i++)
        {
            await TipAsync(2_000_000, "PURCHASE:SHAWTY");
        }

        var pending = await EventuallyAsync($"/fan/{Fan.Address}/pending", FanToken,
            p => p.GetProperty("data").GetProperty("pending").EnumerateArray().Any(n => n.GetProperty("nftClass").GetString() == "butki"), "the Butki badge");
        var badge = pending.GetProperty("data").GetProperty("pending").EnumerateArray().First(n => n.GetProperty("nftClass").GetString() == "butki");
        (BadgeNftId, BadgeAssetId) = (badge.GetProperty("id").GetInt64(), badge.GetProperty("assetId").GetUInt64());
        var tokens = await EventuallyAsync($"/shawty/{Fan.Address}/tokens", FanToken, t => t.GetProperty("total").GetInt32() == 3, "three Shawty tokens");
        ShawtyAssetIds = [.. tokens.GetProperty("tokens").EnumerateArray().Select(t => t.GetProperty("asset_id").GetUInt64())];
        await EventuallyAsync($"/bauni/{Fan.Address}/membership/{Creator.Address}", null, m => m.GetProperty("is_valid").GetBoolean(), "the Bauni membership");
        await WaitForPaymentsAsync(5); // the five tips: purchases are waited for above and are no tips
        await EventuallyAsync("/leaderboard/global/top-creators", null,
            l => l.GetProperty("data").GetProperty("leaderboard").EnumerateArray().Any(c => c.GetProperty("creatorWallet").GetString() == Creator.Address),
            "the creator on the global leaderboard");

        ProductId = (await OkAsync(Post($"{creatorPath}/products",
            new { slug = "walk-tee", name = "Walk Tee", description = "Cotton", price_algo = 3.0, stock_quantity = 10, active = true }, CreatorToken)))
            .GetProperty("data").GetProperty("id").GetInt64();
        OrderId = (await OkAsync(Post($"{creatorPath}/store/order", Cart(), FanToken)))
            .GetProperty("data").GetProperty("order").GetProperty("id").GetInt64();
        GoldenAssetId = (await OkAsync(Post("/nft/mint/golden", new { templateId = GoldenTemplateId, fanWallet = Fan.Address }, AdminToken)))
            .GetProperty("assetId").GetUInt64();
        PartnerOrderId = (await OkAsync(Post("/onramp/create-order",
            new { fanWallet = Fan.Address, creatorWallet = Creator.Address, fiatAmount = 500m, fiatCurrency = "INR" }, FanToken)))
            .GetProperty("partnerOrderId").GetString()!;
    }

    /// <summary>
    /// Until the creator's ledger has applied <paramref name="count"/> payments of the fan (and so the fan's pair and
    /// index have too): a submission answers before the chain watcher applies it, and the reads after it must see it.
    /// </summary>
    public Task WaitForPaymentsAsync(int count) => EventuallyAsync($"/leaderboard/{Creator.Address}?limit=100", null,
        l => l.GetProperty("data").GetProperty("leaderboard").EnumerateArray()
            .Any(f => f.GetProperty("fanWallet").GetString() == Fan.Address && f.GetProperty("tipCount").GetInt32() == count),
        $"the fan's {count} tips applied");

    /// <summary>The Store page's quote and order body: one of the world's product.</summary>
    public object Cart() => new { fanWallet = Fan.Address, items = new[] { new { productId = ProductId, quantity = 1 } }, shawtyAssetIds = Array.Empty<ulong>() };
}
