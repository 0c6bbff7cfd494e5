using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FanForge.Grains.Nfts;
using FanForge.Grains.Templates;
using FanForge.GrainInterfaces.Errors;
using FanForge.GrainInterfaces.Nfts;
using FanForge.Tests.Infrastructure;

namespace FanForge.Tests.Templates;

public sealed class TemplateRulesTests
{
    [Theory]
    [InlineData("platinum", null, "sticker_type must be 'soulbound' or 'golden'")]
    [InlineData("soulbound", "0.09", "at least 0.1 ALGO")]
    [InlineData("golden", "10000.000001", "cannot exceed 10,000 ALGO")]
    [InlineData("soulbound", "1.0000001", "at most 6 decimals")]
    public void Bad_fields_are_refused_in_the_prototypes_order(string type, string? threshold, string message)
    {
        var refused = Assert.Throws<DomainException>(() =>
            TemplateRules.Validate("Star", type, "tip", threshold is null ? null : decimal.Parse(threshold, System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal((DomainErrorKind.Validation, ErrorCodes.Validation), (refused.Kind, refused.Code));
        Assert.Contains(message, refused.Message);
    }

    [Fact]
    public void Defaults_are_the_prototypes_and_amounts_become_micro_algo()
    {
        var draft = TemplateRules.Validate("  Star  ", null, null, null);

        Assert.Equal(("Star", "soulbound", "tip", 1_000_000L), (draft.Name, draft.StickerType, draft.Category, draft.TipThresholdMicroAlgo));
        Assert.Equal(2_500_000L, TemplateRules.Validate("Star", "golden", "x", 2.5m).TipThresholdMicroAlgo);
    }

    [Theory]
    [InlineData("butki_badge", "golden")]
    [InlineData("bauni_membership", "golden")]
    [InlineData("shawty_collectible", "soulbound")]
    public void A_reward_template_must_have_its_rewards_type(string category, string wrongType)
    {
        var refused = Assert.Throws<DomainException>(() => TemplateRules.Validate("Badge", wrongType, category, null));

        Assert.Contains($"category '{category}' must be sticker_type", refused.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("tab\tname")]
    public void A_name_is_required_and_printable(string name) =>
        Assert.Throws<DomainException>(() => TemplateRules.Validate(name, null, null, null));

    [Fact]
    public void Reward_kinds_look_up_their_category_and_stickers_have_none()
    {
        Assert.Equal("butki_badge", TemplateRules.RewardCategory(NftKind.Butki));
        Assert.Equal("bauni_membership", TemplateRules.RewardCategory(NftKind.Bauni));
        Assert.Equal("shawty_collectible", TemplateRules.RewardCategory(NftKind.Shawty));
        Assert.Null(TemplateRules.RewardCategory(NftKind.Sticker));
    }

    [Theory]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0 }, "image/png")]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 }, "image/jpeg")]
    [InlineData(new byte[] { 0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1 }, "image/gif")]
    [InlineData(new byte[] { 0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4, 0x57, 0x45, 0x42, 0x50, 0x56 }, "image/webp")]
    [InlineData(new byte[] { 0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4, 0x57, 0x41, 0x56, 0x45 }, null)]
    [InlineData(new byte[] { (byte)'<', (byte)'s', (byte)'v', (byte)'g' }, null)]
    [InlineData(new byte[] { 0x89, 0x50 }, null)]
    public void Images_are_recognised_by_their_bytes_and_svg_is_not_an_image_we_take(byte[] bytes, string? expected) =>
        Assert.Equal(expected, TemplateRules.SniffImage(bytes));

    [Theory]
    [InlineData("Short", "Short")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345")]
    [InlineData("Sticker ⭐⭐⭐⭐⭐⭐⭐⭐", "Sticker ⭐⭐⭐⭐⭐⭐⭐⭐")]
    [InlineData("Sticker ⭐⭐⭐⭐⭐⭐⭐⭐⭐", "Sticker ⭐⭐⭐⭐⭐⭐⭐⭐")]
    [InlineData("Emoji 😀😀😀😀😀😀😀", "Emoji 😀😀😀😀😀😀")]
    public void Asset_names_keep_whole_characters_within_32_bytes(string name, string expected)
    {
        var asset = TemplateRules.AssetName(name);

        Assert.Equal(expected, asset);
        Assert.True(Encoding.UTF8.GetByteCount(asset) <= 32);
    }

    [Fact]
    public void Metadata_is_arc3_json_naming_the_image_by_cid_and_integrity()
    {
        var image = "PNG!"u8.ToArray();
        var draft = TemplateRules.Validate("Star", "soulbound", "butki_badge", 2m);
        var creator = new TestWallet(31).Address;

        var json = JsonDocument.Parse(TemplateRules.Arc3Metadata(creator, draft, "bafkreiimage", "image/png", SHA256.HashData(image))).RootElement;

        Assert.Equal(("Star", "ipfs://bafkreiimage", "image/png"), (json.GetProperty("name").GetString(), json.GetProperty("image").GetString(), json.GetProperty("image_mimetype").GetString()));
        Assert.Equal($"sha256-{Convert.ToBase64String(SHA256.HashData(image))}", json.GetProperty("image_integrity").GetString());
        var properties = json.GetProperty("properties");
        Assert.Equal<(string?, string?, string?, decimal)>((creator, "butki_badge", "soulbound", 2m), (properties.GetProperty("creator").GetString(), properties.GetProperty("category").GetString(),
            properties.GetProperty("type").GetString(), properties.GetProperty("tip_threshold").GetDecimal()));
    }

    [Fact]
    public void Raw_cids_match_ipfs_for_known_content()
    {
        // `ipfs add --cid-version 1 --raw-leaves` of an empty file, and of "hello world" (no newline): well-known CIDs.
        Assert.Equal("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku", Arc3.RawCidV1(SHA256.HashData([])));
        Assert.Equal("bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e", Arc3.RawCidV1(SHA256.HashData("hello world"u8)));
    }
}
