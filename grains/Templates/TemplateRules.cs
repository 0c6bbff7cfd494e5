using System.Globalization;
using System.Text;
using System.Text.Json;
using FanForge.Grains.Algorand;
using FanForge.GrainInterfaces.Errors;
using FanForge.GrainInterfaces.Nfts;
using FanForge.GrainInterfaces.Templates;

namespace FanForge.Grains.Templates;

/// <summary>Sticker template rules (the prototype's limits), the images we accept and the ARC-3 metadata we pin.</summary>
public static class TemplateRules
{
    public const int MaxPerCreator = 20;
    public const int MaxImageBytes = 5 * 1024 * 1024;
    public const int MaxNameLength = 64;
    public const int MaxCategoryLength = 64;
    public const string Soulbound = "soulbound";
    public const string Golden = "golden";
    public const string DefaultCategory = "tip";
    public const decimal DefaultThresholdAlgo = 1.0m;
    private const decimal MinThresholdAlgo = 0.1m;
    private const decimal MaxThresholdAlgo = 10_000m;

    /// <summary>The categories the platform's reward mints look up, and the sticker type each must be.</summary>
    private static readonly Dictionary<string, (NftKind Kind, string StickerType)> Rewards = new(StringComparer.Ordinal)
    {
        ["butki_badge"] = (NftKind.Butki, Soulbound),
        ["bauni_membership"] = (NftKind.Bauni, Soulbound),
        ["shawty_collectible"] = (NftKind.Shawty, Golden),
    };

    /// <summary>The template category whose newest template a reward mint of <paramref name="kind"/> uses, if any.</summary>
    public static string? RewardCategory(NftKind kind) => Rewards.FirstOrDefault(r => r.Value.Kind == kind).Key;

    public static TemplateDraft Validate(string? name, string? stickerType, string? category, decimal? tipThresholdAlgo)
    {
        var type = string.IsNullOrWhiteSpace(stickerType) ? Soulbound : stickerType.Trim();
        if (type is not (Soulbound or Golden))
        {
            throw Invalid("sticker_type must be 'soulbound' or 'golden'");
        }

        var threshold = tipThresholdAlgo ?? DefaultThresholdAlgo;
        if (threshold < MinThresholdAlgo)
        {
            throw Invalid("tip_threshold must be at least 0.1 ALGO");
        }

        if (threshold > MaxThresholdAlgo)
        {
            throw Invalid("tip_threshold cannot exceed 10,000 ALGO");
        }

        if (!MicroAlgo.IsWholeMicroAlgo(threshold))
        {
            throw Invalid("tip_threshold has at most 6 decimals (micro-ALGO).");
        }

        var trimmedName = name?.Trim() ?? "";
        if (trimmedName.Length is 0 or > MaxNameLength || trimmedName.Any(char.IsControl))
        {
            throw Invalid($"name is required: 1 to {MaxNameLength} printable characters.");
        }

        var trimmedCategory = string.IsNullOrWhiteSpace(category) ? DefaultCategory : category.Trim();
        if (trimmedCategory.Length > MaxCategoryLength || trimmedCategory.Any(char.IsControl))
        {
            throw Invalid($"category must be 1 to {MaxCategoryLength} printable characters.");
        }

        // A reward template of the wrong type would make badges tradable or Shawty tokens stuck: refuse it up front.
        if (Rewards.TryGetValue(trimmedCategory, out var reward) && reward.StickerType != type)
        {
            throw Invalid($"Templates of category '{trimmedCategory}' must be sticker_type '{reward.StickerType}'.");
        }

        return new TemplateDraft(trimmedName, type, trimmedCategory, MicroAlgo.FromAlgo(threshold));
    }

    /// <summary>Same (category, threshold, type): the prototype's uniqueness rule.</summary>
    public static bool SameSlot(TemplateDraft draft, TemplateDraft existing) =>
        existing.Category == draft.Category && existing.TipThresholdMicroAlgo == draft.TipThresholdMicroAlgo && existing.StickerType == draft.StickerType;

    public static string DuplicateMessage(TemplateDraft existing) =>
        $"You already have a {existing.StickerType} template at {MicroAlgo.ToAlgo(existing.TipThresholdMicroAlgo).ToString(CultureInfo.InvariantCulture)} ALGO threshold ('{existing.Name}'). Delete it first or use a different threshold.";

    /// <summary>
    /// The image's type from its first bytes, never from the client's Content-Type or file name. Only raster formats:
    /// an SVG can carry script that a gateway would serve to browsers.
    /// </summary>
    public static string? SniffImage(ReadOnlySpan<byte> bytes) => bytes switch
    {
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, ..] => "image/png",
        [0xFF, 0xD8, 0xFF, ..] => "image/jpeg",
        [0x47, 0x49, 0x46, 0x38, (byte)'7' or (byte)'9', (byte)'a', ..] => "image/gif",
        [0x52, 0x49, 0x46, 0x46, _, _, _, _, 0x57, 0x45, 0x42, 0x50, ..] => "image/webp",
        _ => null,
    };

    /// <summary>An ASA name holds at most 32 bytes: the longest prefix of whole characters that fits.</summary>
    public static string AssetName(string name)
    {
        const int maxBytes = 32;
        if (Encoding.UTF8.GetByteCount(name) <= maxBytes)
        {
            return name;
        }

        var end = 0;
        var bytes = 0;
        foreach (var rune in name.EnumerateRunes())
        {
            if (bytes + rune.Utf8SequenceLength > maxBytes)
            {
                break;
            }

            bytes += rune.Utf8SequenceLength;
            end += rune.Utf16SequenceLength;
        }

        return name[..end];
    }

    /// <summary>
    /// ARC-3 metadata for the template, as exact bytes: they are pinned as a file (not re-serialised by the pinning
    /// service), so the SHA-256 of these bytes is what every IPFS copy hashes to and what the ASA's <c>am</c> says.
    /// </summary>
    public static byte[] Arc3Metadata(string creator, TemplateDraft draft, string imageCid, string imageMimeType, byte[] imageSha256) =>
        JsonSerializer.SerializeToUtf8Bytes(new
        {
            name = draft.Name,
            description = $"{(draft.StickerType == Soulbound ? "Soulbound" : "Golden")} sticker by {creator[..8]}...",
            image = $"ipfs://{imageCid}",
            image_integrity = $"sha256-{Convert.ToBase64String(imageSha256)}",
            image_mimetype = imageMimeType,
            properties = new
            {
                creator,
                category = draft.Category,
                type = draft.StickerType,
                platform = "FanForge",
                tip_threshold = MicroAlgo.ToAlgo(draft.TipThresholdMicroAlgo),
            },
        });

    private static DomainException Invalid(string message) => DomainException.Invalid(ErrorCodes.Validation, message);
}
