using Orleans.Concurrency;

namespace FanForge.GrainInterfaces.Templates;

/// <summary>
/// A creator's sticker template: the image and ARC-3 metadata, pinned to IPFS, that the platform's mints for that
/// creator use. Content ids, not URLs, are stored: gateways are configuration and may change.
/// </summary>
[GenerateSerializer, Immutable, Alias("ff.StickerTemplate")]
public sealed record StickerTemplate(
    [property: Id(0)] long Id,
    [property: Id(1)] string CreatorWallet,
    [property: Id(2)] string Name,
    [property: Id(3)] string StickerType,
    [property: Id(4)] string Category,
    [property: Id(5)] long TipThresholdMicroAlgo,
    [property: Id(6)] PinnedArtwork Artwork,
    [property: Id(7)] DateTimeOffset CreatedAt,
    [property: Id(8)] long MintCount);

/// <summary>What the creator asked for, validated (<c>TemplateRules.Validate</c>).</summary>
[GenerateSerializer, Immutable, Alias("ff.TemplateDraft")]
public sealed record TemplateDraft(
    [property: Id(0)] string Name,
    [property: Id(1)] string StickerType,
    [property: Id(2)] string Category,
    [property: Id(3)] long TipThresholdMicroAlgo);

/// <summary>
/// The pinned files: the image, and the ARC-3 metadata JSON whose exact bytes hash to <see cref="MetadataSha256"/>
/// (the ASA's <c>am</c>), so any IPFS gateway's copy can be checked against the chain.
/// </summary>
[GenerateSerializer, Immutable, Alias("ff.PinnedArtwork")]
public sealed record PinnedArtwork(
    [property: Id(0)] string ImageCid,
    [property: Id(1)] string ImageMimeType,
    [property: Id(2)] long ImageBytes,
    [property: Id(3)] string MetadataCid,
    [property: Id(4)] byte[] MetadataSha256);

/// <summary>
/// A creator's templates (key: creator wallet): at most 20, unique per (category, threshold, type), newest first.
/// Serialises the creator's template writes, so the limit and uniqueness are checked and taken in one turn.
/// </summary>
[Alias("ff.ICreatorTemplates")]
public interface ICreatorTemplates : IGrainWithStringKey
{
    /// <summary>
    /// Refuses early (limit, duplicate) so nothing is uploaded for a template that cannot be created; for a retry under
    /// a key already answered, returns that template instead.
    /// </summary>
    [Alias("Admit")]
    Task<StickerTemplate?> AdmitAsync(TemplateDraft draft, string? idempotencyKey);

    /// <summary>
    /// Creates the template from pinned artwork. A retry under the same <paramref name="idempotencyKey"/> returns the
    /// first template; without a key, a repeat is the duplicate it is (409).
    /// </summary>
    [Alias("Create")]
    Task<StickerTemplate> CreateAsync(TemplateDraft draft, PinnedArtwork artwork, string? idempotencyKey);

    /// <summary>The templates, newest first, with their mint counts.</summary>
    [Alias("List")]
    Task<IReadOnlyList<StickerTemplate>> ListAsync();

    /// <summary>Deletes a template nothing was minted from (409 otherwise; 404 if not the creator's).</summary>
    [Alias("Delete")]
    Task<StickerTemplate> DeleteAsync(long templateId);

    /// <summary>The newest template of <paramref name="category"/> (a reward category), or null for the default design.</summary>
    [Alias("FindForCategory")]
    Task<long?> FindForCategoryAsync(string category);
}

/// <summary>
/// One template (key: template id). It owns the mint count, so a delete and a mint of the same template are
/// serialised: a template is either deleted before a mint takes it or counted and kept.
/// </summary>
[Alias("ff.IStickerTemplate")]
public interface IStickerTemplate : IGrainWithIntegerKey
{
    /// <summary>Stores a new template (idempotent for the same template).</summary>
    [Alias("Create")]
    Task<StickerTemplate> CreateAsync(StickerTemplate template);

    /// <summary>The template, or null if there is none or it was deleted.</summary>
    [Alias("Get"), ReadOnly]
    Task<StickerTemplate?> GetAsync();

    /// <summary>
    /// Counts one mint under <paramref name="mintKey"/> (a repeat of a recent key counts once) and returns the
    /// template; 404 if it was deleted.
    /// </summary>
    [Alias("TakeForMint")]
    Task<StickerTemplate> TakeForMintAsync(string mintKey);

    /// <summary>Deletes it if nothing was minted from it (409 <c>template_in_use</c> otherwise).</summary>
    [Alias("Delete")]
    Task<StickerTemplate> DeleteAsync(string creator);
}

/// <summary>Error codes of sticker templates.</summary>
public static class TemplateErrors
{
    /// <summary>The creator has the maximum number of templates (400, as the prototype).</summary>
    public const string LimitReached = "template_limit";

    /// <summary>A template with the same category, threshold and type exists (409).</summary>
    public const string Duplicate = "duplicate_template";

    /// <summary>NFTs were minted from the template, so it stays (409).</summary>
    public const string InUse = "template_in_use";

    /// <summary>The template is of the other sticker type than the mint route (400).</summary>
    public const string WrongType = "template_type_mismatch";

    /// <summary>The upload is not an image we accept (400).</summary>
    public const string UnsupportedImage = "unsupported_image";

    /// <summary>IPFS pinning is not configured (503).</summary>
    public const string IpfsDisabled = "ipfs_disabled";

    /// <summary>The IPFS pinning service failed (502).</summary>
    public const string IpfsUnavailable = "ipfs_unavailable";
}
