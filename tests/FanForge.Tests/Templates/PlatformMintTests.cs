using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FanForge.Grains.Algorand;
using FanForge.Grains.Algorand.Clients;
using FanForge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FanForge.Tests.Templates;

/// <summary>/nft/mint/soulbound and /nft/mint/golden: an admin mints a creator's template for a fan, into custody.</summary>
public sealed class PlatformMintTests(TemplatesApiFactory factory) : IClassFixture<TemplatesApiFactory>
{
    private async Task<(long Soulbound, long Golden, TestWallet Creator)> TemplatesAsync()
    {
        var creator = TemplatesApiFactory.NewWallet();
        await factory.RegisterCreatorAsync(creator);
        var http = await factory.CreateClientAsync(creator);
        var soulbound = await HttpAssert.OkAsync(await http.PostAsync($"/creator/{creator.Address}/sticker-template", TemplatesApiFactory.Form("Heart", TemplatesApiFactory.Png())));
        var golden = await HttpAssert.OkAsync(await http.PostAsync($"/creator/{creator.Address}/sticker-template", TemplatesApiFactory.Form("Crown", TemplatesApiFactory.Png(), "golden")));
        return (soulbound.GetProperty("id").GetInt64(), golden.GetProperty("id").GetInt64(), creator);
    }

    private static async Task<HttpResponseMessage> MintAsync(HttpClient admin, string kind, object body, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/nft/mint/{kind}") { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Add("X-Idempotency-Key", key);
        }

        return await admin.SendAsync(request);
    }

    [Fact]
    public async Task An_admin_mints_a_soulbound_sticker_once_per_key_and_the_template_counts_it()
    {
        var (soulbound, _, creator) = await TemplatesAsync();
        var fan = TemplatesApiFactory.NewWallet();
        var admin = await factory.CreateClientAsync(TemplatesApiFactory.Admin);

        var minted = await HttpAssert.OkAsync(await MintAsync(admin, "soulbound", new { templateId = soulbound, fanWallet = fan.Address }, "mint-1"));
        var retried = await HttpAssert.OkAsync(await MintAsync(admin, "soulbound", new { template_id = soulbound, fan_wallet = fan.Address }, "mint-1"));
        var another = await HttpAssert.OkAsync(await MintAsync(admin, "soulbound", new { templateId = soulbound, fanWallet = fan.Address }, "mint-2"));

        var assetId = minted.GetProperty("assetId").GetUInt64();
        Assert.Equal(assetId, retried.GetProperty("assetId").GetUInt64());
        Assert.NotEqual(assetId, another.GetProperty("assetId").GetUInt64());
        Assert.Equal(("soulbound", "Heart", fan.Address, "pending_optin"), (minted.GetProperty("stickerType").GetString(), minted.GetProperty("name").GetString(),
            minted.GetProperty("ownerWallet").GetString(), minted.GetProperty("deliveryStatus").GetString()));
        var asset = await factory.Services.GetRequiredService<IAlgodClient>().GetAssetAsync(assetId);
        Assert.Equal(("STICKER", "Heart", true), (asset!.Params.UnitName, asset.Params.Name, asset.Params.DefaultFrozen));
        Assert.Equal(minted.GetProperty("metadataUrl").GetString(), asset.Params.Url);
        var creatorHttp = await factory.CreateClientAsync(creator);
        var template = (await HttpAssert.OkAsync(await creatorHttp.GetAsync($"/creator/{creator.Address}/templates"))).GetProperty("templates")
            .EnumerateArray().Single(t => t.GetProperty("id").GetInt64() == soulbound);
        Assert.Equal(2, template.GetProperty("mintCount").GetInt32());
        var pending = await HttpAssert.OkAsync(await (await factory.CreateClientAsync(fan)).GetAsync($"/fan/{fan.Address}/pending"));
        Assert.Equal(2, pending.GetProperty("meta").GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Wrong_type_unknown_template_bad_input_and_non_admins_are_refused()
    {
        var (soulbound, golden, creator) = await TemplatesAsync();
        var fan = TemplatesApiFactory.NewWallet();
        var admin = await factory.CreateClientAsync(TemplatesApiFactory.Admin);

        var wrongType = await HttpAssert.ErrorAsync(await MintAsync(admin, "soulbound", new { templateId = golden, fanWallet = fan.Address }), HttpStatusCode.BadRequest, "template_type_mismatch");
        Assert.Equal("Template 'Crown' is type 'golden', expected 'soulbound'", wrongType.GetProperty("message").GetString());
        await HttpAssert.ErrorAsync(await MintAsync(admin, "golden", new { templateId = soulbound, fanWallet = fan.Address }), HttpStatusCode.BadRequest, "template_type_mismatch");
        await HttpAssert.ErrorAsync(await MintAsync(admin, "golden", new { templateId = 999_999_999, fanWallet = fan.Address }), HttpStatusCode.NotFound, "not_found");
        await HttpAssert.ErrorAsync(await MintAsync(admin, "golden", new { templateId = golden, fanWallet = "NOT-A-WALLET" }), HttpStatusCode.BadRequest, "invalid_wallet");
        await HttpAssert.ErrorAsync(await MintAsync(admin, "golden", new { fanWallet = fan.Address }), HttpStatusCode.BadRequest, "validation");
        Assert.Equal(HttpStatusCode.Forbidden, (await MintAsync(await factory.CreateClientAsync(creator), "golden", new { templateId = golden, fanWallet = fan.Address })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await MintAsync(factory.CreateClient(), "golden", new { templateId = golden, fanWallet = fan.Address })).StatusCode);
        Assert.Equal(0, (await HttpAssert.OkAsync(await (await factory.CreateClientAsync(fan)).GetAsync($"/fan/{fan.Address}/inventory"))).GetProperty("meta").GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_golden_sticker_changes_hands_in_custody_and_in_the_wallet_only_by_its_owner()
    {
        var (_, golden, _) = await TemplatesAsync();
        var (first, second) = (TemplatesApiFactory.NewWallet(), TemplatesApiFactory.NewWallet());
        var admin = await factory.CreateClientAsync(TemplatesApiFactory.Admin);
        var minted = await HttpAssert.OkAsync(await MintAsync(admin, "golden", new { templateId = golden, fanWallet = first.Address }));
        var assetId = minted.GetProperty("assetId").GetUInt64();
        var (firstHttp, secondHttp) = (await factory.CreateClientAsync(first), await factory.CreateClientAsync(second));

        var given = await HttpAssert.OkAsync(await firstHttp.PostAsJsonAsync("/nft/transfer", new { assetId, receiverWallet = second.Address }));
        var again = await HttpAssert.OkAsync(await firstHttp.PostAsJsonAsync("/nft/transfer", new { assetId, receiverWallet = second.Address }));

        Assert.Equal((second.Address, second.Address), (given.GetProperty("receiverWallet").GetString(), again.GetProperty("receiverWallet").GetString()));
        Assert.Equal(second.Address, (await factory.CreateClient().GetFromJsonAsync<JsonElement>($"/nft/{assetId}")).GetProperty("ownerWallet").GetString());
        Assert.Equal(0, (await HttpAssert.OkAsync(await firstHttp.GetAsync($"/fan/{first.Address}/inventory"))).GetProperty("meta").GetProperty("total").GetInt32());
        var nftId = (await HttpAssert.OkAsync(await secondHttp.GetAsync($"/fan/{second.Address}/pending"))).GetProperty("data").GetProperty("pending")[0].GetProperty("id").GetInt64();
        await HttpAssert.ErrorAsync(await firstHttp.PostAsync($"/fan/{first.Address}/claim/{nftId}", null), HttpStatusCode.NotFound, "not_found");
        await HttpAssert.ErrorAsync(await firstHttp.PostAsJsonAsync("/nft/transfer", new { assetId, receiverWallet = first.Address }), HttpStatusCode.NotFound, "not_found");

        var optIn = await HttpAssert.OkAsync(await secondHttp.PostAsJsonAsync("/nft/optin", new { assetId, fanWallet = second.Address }));
        var signed = SignedTransaction.Sign(Transaction.Decode(Convert.FromBase64String(optIn.GetProperty("unsignedTxn").GetString()!)), second.Signer);
        await HttpAssert.OkAsync(await factory.CreateClient().PostAsJsonAsync("/submit", new { signed_txn = Convert.ToBase64String(signed.Encode()) }));
        var claimed = await HttpAssert.OkAsync(await secondHttp.PostAsync($"/fan/{second.Address}/claim/{nftId}", null));
        Assert.Equal("delivered", claimed.GetProperty("status").GetString());
        var holding = await factory.Services.GetRequiredService<IAlgodClient>().GetAccountAssetAsync(AlgorandAddress.Parse(second.Address), assetId);
        Assert.Equal(1UL, holding!.Amount);

        await HttpAssert.ErrorAsync(await secondHttp.PostAsJsonAsync("/nft/transfer", new { assetId, receiverWallet = first.Address }), HttpStatusCode.Conflict, "in_wallet");
    }
}
