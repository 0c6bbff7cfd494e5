using System.Security.Cryptography;
using System.Text.Json;
using FanForge.Grains.Algorand;
using FanForge.GrainInterfaces.Nfts;
using FanForge.GrainInterfaces.Templates;

namespace FanForge.Grains.Nfts;

/// <summary>
/// ARC-3 metadata for platform mints: the JSON is canonical (fixed property order, no whitespace), <c>am</c> is its
/// SHA-256, and the URL is <c>ipfs://{CIDv1 of the JSON as a raw block}#arc3</c>, the address any IPFS node gives
/// those exact bytes. A creator's template brings its own pinned metadata, whose bytes its hash was taken from.
/// </summary>
public static class Arc3
{
    /// <summary><paramref name="Json"/> is empty for a template's metadata: it is pinned already, only its hash and URL matter.</summary>
    public sealed record Metadata(byte[] Json, byte[] Hash, string Url);

    public static Metadata For(MintRequest request, NftDesign design, StickerTemplate? template)
    {
        if (template is not null)
        {
            return new Metadata([], template.Artwork.MetadataSha256, $"ipfs://{template.Artwork.MetadataCid}#arc3");
        }

        var json = JsonSerializer.SerializeToUtf8Bytes(new
        {
            name = design.AssetName,
            description = design.Description,
            properties = new
            {
                nft_class = design.NftClass,
                sticker_type = design.StickerType,
                creator_wallet = request.Creator,
                fan_wallet = request.Fan,
                reference = request.Reference,
            },
        });
        var hash = SHA256.HashData(json);
        return new Metadata(json, hash, $"ipfs://{RawCidV1(hash)}#arc3");
    }

    /// <summary>CIDv1, multibase base32 ("b"), codec raw (0x55), multihash sha2-256 (0x12, 32 bytes).</summary>
    public static string RawCidV1(byte[] sha256) => "b" + Base32.Encode([0x01, 0x55, 0x12, 0x20, .. sha256]).ToLowerInvariant();
}
