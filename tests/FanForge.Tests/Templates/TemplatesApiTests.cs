using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using FanForge.Tests.Auth;
using FanForge.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace FanForge.Tests.Templates;

/// <summary>The development host with a platform admin and its own local IPFS folder, so what is stored can be counted.</summary>
public sealed class TemplatesApiFactory : FanForgeApiFactory
{
    public static readonly TestWallet Admin = AdminApiFactory.Admin;

    public string IpfsFolder { get; } = Path.Combine(Path.GetTempPath(), "fanforge-ipfs-test-" + Guid.NewGuid().ToString("N")[..8]);

    public int StoredFiles => Directory.Exists(IpfsFolder) ? Directory.GetFiles(IpfsFolder).Length : 0;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Auth:AdminWallets:0", Admin.Address);
        builder.UseSetting("Ipfs:LocalPath", IpfsFolder);
    }

    /// <summary>The CreatorHub's form: name, category, sticker_type, tip_threshold and the image file.</summary>
    public static MultipartFormDataContent Form(string name, byte[]? image, string? stickerType = null, string? category = null, string? threshold = null)
    {
        var form = new MultipartFormDataContent { { new StringContent(name), "name" } };
        if (stickerType is not null)
        {
            form.Add(new StringContent(stickerType), "sticker_type");
        }

        if (category is not null)
        {
            form.Add(new StringContent(category), "category");
        }

        if (threshold is not null)
        {
            form.Add(new StringContent(threshold), "tip_threshold");
        }

        if (image is not null)
        {
            form.Add(new ByteArrayContent(image), "image", "sticker.png");
        }

        return form;
    }

    /// <summary>A PNG by its signature, then random bytes: we sniff the type, we do not decode.</summary>
    public static byte[] Png(int size = 512) => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. RandomNumberGenerator.GetBytes(size - 8)];

    public static TestWallet NewWallet() => new(RandomNumberGenerator.GetBytes(32));
}

public sealed class TemplatesApiTests(TemplatesApiFactory factory) : IClassFixture<TemplatesApiFactory>
{
    private async Task<(TestWallet Creator, HttpClient Http)> CreatorAsync()
    {
        var creator = TemplatesApiFactory.NewWallet();
        await factory.RegisterCreatorAsync(creator);
        return (creator, await factory.CreateClientAsync(creator));
    }

    [Fact]
    public async Task An_uploaded_template_is_pinned_listed_served_and_its_metadata_hashes_as_published()
    {
        var (creator, http) = await CreatorAsync();
        var image = TemplatesApiFactory.Png();

        var template = await HttpAssert.OkAsync(await http.PostAsync($"/creator/{creator.Address}/sticker-template",
            TemplatesApiFactory.Form("Gold Star", image, "golden", "shawty_collectible", "2.5")));

        Assert.Equal(("Gold Star", "golden", "shawty_collectible", 2.5m, 0), (template.GetProperty("name").GetString(), template.GetProperty("stickerType").GetString(),
            template.GetProperty("category").GetString(), template.GetProperty("tipThreshold").GetDecimal(), template.GetProperty("mintCount").GetInt32()));
        Assert.Equal((creator.Address, template.GetProperty("imageUrl").GetString(), "golden", 0), (template.GetProperty("creatorWallet").GetString(),
            template.GetProperty("image_url").GetString(), template.GetProperty("sticker_type").GetString(), template.GetProperty("mint_count").GetInt32()));
        var imageCid = template.GetProperty("ipfsHash").GetString()!;
        Assert.Equal($"http://localhost:8000/ipfs/{imageCid}", template.GetProperty("imageUrl").GetString());

        var served = await factory.CreateClient().GetAsync($"/ipfs/{imageCid}");
        Assert.Equal(image, await served.EnsureSuccessStatusCode().Content.ReadAsByteArrayAsync());
        Assert.Equal("image/png", served.Content.Headers.ContentType?.MediaType);
        var metadataBytes = await factory.CreateClient().GetByteArrayAsync(new Uri(template.GetProperty("metadataUrl").GetString()!).PathAndQuery);
        var metadata = JsonDocument.Parse(metadataBytes).RootElement;
        Assert.Equal(($"ipfs://{imageCid}", "Gold Star"), (metadata.GetProperty("image").GetString(), metadata.GetProperty("name").GetString()));
        Assert.Equal(template.GetProperty("metadataCid").GetString(), FanForge.Grains.Nfts.Arc3.RawCidV1(SHA256.HashData(metadataBytes)));

        var list = await HttpAssert.OkAsync(await http.GetAsync($"/creator/{creator.Address}/templates"));
        Assert.Equal((creator.Address, 1), (list.GetProperty("creatorWallet").GetString(), list.GetProperty("total").GetInt32()));
        Assert.Equal(template.GetProperty("id").GetInt64(), list.GetProperty("templates")[0].GetProperty("id").GetInt64());
        Assert.Equal(HttpStatusCode.NotFound, (await factory.CreateClient().GetAsync("/ipfs/bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyzz")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await factory.CreateClient().GetAsync("/ipfs/..%2F..%2Fetc%2Fpasswd")).StatusCode);
    }

    [Fact]
    public async Task A_retry_with_the_key_returns_the_first_template_and_a_repeat_without_it_is_a_duplicate()
    {
        var (creator, http) = await CreatorAsync();
        async Task<HttpResponseMessage> UploadAsync(string? key)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/creator/{creator.Address}/sticker-template")
            {
                Content = TemplatesApiFactory.Form("Badge", TemplatesApiFactory.Png(), category: "butki_badge"),
            };
            if (key is not null)
            {
                request.Headers.Add("X-Idempotency-Key", key);
            }

            return await http.SendAsync(request);
        }

        var first = await HttpAssert.OkAsync(await UploadAsync("tpl-1"));
        var retry = await HttpAssert.OkAsync(await UploadAsync("tpl-1"));
        var duplicate = await HttpAssert.ErrorAsync(await UploadAsync(null), HttpStatusCode.Conflict, "duplicate_template");

        Assert.Equal(first.GetProperty("id").GetInt64(), retry.GetProperty("id").GetInt64());
        Assert.Equal(first.GetProperty("ipfsHash").GetString(), retry.GetProperty("ipfsHash").GetString());
        Assert.Contains("You already have a soulbound template at 1 ALGO threshold ('Badge')", duplicate.GetProperty("message").GetString());
        Assert.Equal(1, (await HttpAssert.OkAsync(await http.GetAsync($"/creator/{creator.Address}/templates"))).GetProperty("total").GetInt32());
    }

    public static TheoryData<string, string?, string?, byte[]?, HttpStatusCode, string> BadUploads() => new()
    {
        { "X", "silver", null, TemplatesApiFactory.Png(), HttpStatusCode.BadRequest, "validation" },
        { "X", null, "0.05", TemplatesApiFactory.Png(), HttpStatusCode.BadRequest, "validation" },
        { "X", null, "lots", TemplatesApiFactory.Png(), HttpStatusCode.BadRequest, "validation" },
        { "", null, null, TemplatesApiFactory.Png(), HttpStatusCode.BadRequest, "validation" },
        { "X", null, null, null, HttpStatusCode.BadRequest, "validation" },
        { "X", null, null, [], HttpStatusCode.BadRequest, "validation" },
        { "X", null, null, "<svg onload=alert(1)></svg>"u8.ToArray(), HttpStatusCode.BadRequest, "unsupported_image" },
        { "X", null, null, TemplatesApiFactory.Png(5 * 1024 * 1024 + 1), HttpStatusCode.RequestEntityTooLarge, "payload_too_large" },
    };

    [Theory]
    [MemberData(nameof(BadUploads))]
    public async Task Bad_uploads_are_refused_and_nothing_is_stored(string name, string? type, string? threshold, byte[]? image, HttpStatusCode status, string code)
    {
        var (creator, http) = await CreatorAsync();
        var stored = factory.StoredFiles;

        await HttpAssert.ErrorAsync(await http.PostAsync($"/creator/{creator.Address}/sticker-template",
            TemplatesApiFactory.Form(name, image, type, threshold: threshold)), status, code);

        Assert.Equal(stored, factory.StoredFiles);
        Assert.Equal(0, (await HttpAssert.OkAsync(await http.GetAsync($"/creator/{creator.Address}/templates"))).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_json_body_is_refused_and_only_the_creator_may_upload()
    {
        var (creator, http) = await CreatorAsync();
        var fan = await factory.CreateClientAsync(TemplatesApiFactory.NewWallet());

        await HttpAssert.ErrorAsync(await http.PostAsJsonAsync($"/creator/{creator.Address}/sticker-template", new { name = "X" }), HttpStatusCode.BadRequest, "unsupported_media_type");
        Assert.Equal(HttpStatusCode.Forbidden, (await fan.PostAsync($"/creator/{creator.Address}/sticker-template", TemplatesApiFactory.Form("X", TemplatesApiFactory.Png()))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient().GetAsync($"/creator/{creator.Address}/templates")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fan.DeleteAsync($"/creator/{creator.Address}/template/1")).StatusCode);
    }

    [Fact]
    public async Task The_twenty_first_template_is_refused()
    {
        var (creator, http) = await CreatorAsync();
        var image = TemplatesApiFactory.Png();
        for (var i = 1; i <= 20; i++)
        {
            await HttpAssert.OkAsync(await http.PostAsync($"/creator/{creator.Address}/sticker-template", TemplatesApiFactory.Form($"T{i}", image, threshold: i.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        }

        var refused = await HttpAssert.ErrorAsync(await http.PostAsync($"/creator/{creator.Address}/sticker-template", TemplatesApiFactory.Form("T21", image, threshold: "21")),
            HttpStatusCode.BadRequest, "template_limit");

        Assert.Contains("Maximum 20 sticker templates per creator", refused.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_badge_uses_the_creators_template_which_then_cannot_be_deleted()
    {
        var (creator, http) = await CreatorAsync();
        var app = await factory.CreateClient().GetFromJsonAsync<JsonElement>($"/creator/{creator.Address}/contract");
        var spare = await HttpAssert.OkAsync(await http.PostAsync($"/creator/{creator.Address}/sticker-template", TemplatesApiFactory.Form("Spare", TemplatesApiFactory.Png())));
        var badge = await HttpAssert.OkAsync(await http.PostAsync($"/creator/{creator.Address}/sticker-template",
            TemplatesApiFactory.Form("Loyal Fan of the Month — Gold Edition", TemplatesApiFactory.Png(), "soulbound", "butki_badge")));
        var fan = TemplatesApiFactory.NewWallet();
        var tipApp = (app.GetProperty("app_id").GetUInt64(), FanForge.Grains.Algorand.AlgorandAddress.Parse(app.GetProperty("app_address").GetString()));
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await factory.SubmitGroupAsync(Tipping.TipGroup(fan, tipApp, 1_000_000, "", 81_000_000 + (ulong)i))).Status);
        }

        var fanHttp = await factory.CreateClientAsync(fan);
        var pending = await ClusterHosts.EventuallyAsync(() => fanHttp.GetFromJsonAsync<JsonElement>($"/fan/{fan.Address}/pending"),
            p => p.GetProperty("meta").GetProperty("total").GetInt32() == 1, TimeSpan.FromSeconds(10), "the badge");
        var nft = pending.GetProperty("data").GetProperty("pending")[0];
        Assert.Equal(("Loyal Fan of the Month — Gold ", badge.GetProperty("imageUrl").GetString()), (nft.GetProperty("templateName").GetString(), nft.GetProperty("imageUrl").GetString()));
        var detail = await factory.CreateClient().GetFromJsonAsync<JsonElement>($"/nft/{nft.GetProperty("asset_id").GetUInt64()}");
        Assert.Equal((badge.GetProperty("id").GetInt64(), "butki_badge", $"ipfs://{badge.GetProperty("metadataCid").GetString()}#arc3"),
            (detail.GetProperty("templateId").GetInt64(), detail.GetProperty("category").GetString(), detail.GetProperty("metadataUrl").GetString()));

        var listed = await HttpAssert.OkAsync(await http.GetAsync($"/creator/{creator.Address}/templates"));
        Assert.Equal(1, listed.GetProperty("templates").EnumerateArray().Single(t => t.GetProperty("id").GetInt64() == badge.GetProperty("id").GetInt64()).GetProperty("mintCount").GetInt32());
        var inUse = await HttpAssert.ErrorAsync(await http.DeleteAsync($"/creator/{creator.Address}/template/{badge.GetProperty("id").GetInt64()}"), HttpStatusCode.Conflict, "template_in_use");
        Assert.Equal("Cannot delete template with 1 minted NFTs", inUse.GetProperty("message").GetString());

        var deleted = await HttpAssert.OkAsync(await http.DeleteAsync($"/creator/{creator.Address}/template/{spare.GetProperty("id").GetInt64()}"));
        Assert.Equal(("Template 'Spare' deleted", spare.GetProperty("id").GetInt64()), (deleted.GetProperty("message").GetString(), deleted.GetProperty("templateId").GetInt64()));
        // A retried delete gets the first answer; a template that is not the creator's is still 404.
        var again = await HttpAssert.OkAsync(await http.DeleteAsync($"/creator/{creator.Address}/template/{spare.GetProperty("id").GetInt64()}"));
        Assert.Equal(deleted.GetRawText(), again.GetRawText());
        await HttpAssert.ErrorAsync(await http.DeleteAsync($"/creator/{creator.Address}/template/999999"), HttpStatusCode.NotFound, "not_found");
        Assert.Equal(1, (await HttpAssert.OkAsync(await http.GetAsync($"/creator/{creator.Address}/templates"))).GetProperty("total").GetInt32());
    }
}
