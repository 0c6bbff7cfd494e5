using System.Security.Cryptography;
using System.Text.RegularExpressions;
using FanForge.Grains.Nfts;
using Microsoft.Extensions.Options;

namespace FanForge.Api.Ipfs;

/// <summary>
/// Development's IPFS: a folder of files named by their CIDv1 (raw codec, SHA-256), the id an IPFS node gives the same
/// bytes stored as one raw block. Writes go to a temporary file then move into place, so a reader never sees half a
/// file and a repeat of the same content is a no-op.
/// </summary>
internal sealed partial class LocalIpfsStore(IOptions<IpfsSettings> options) : IIpfsPinning
{
    private string Root => options.Value.ResolvedLocalPath;

    public async Task<string> PinFileAsync(string fileName, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken)
    {
        var cid = Arc3.RawCidV1(SHA256.HashData(content.Span));
        var path = Path.Combine(Root, cid);
        if (File.Exists(path))
        {
            return cid;
        }

        Directory.CreateDirectory(Root);
        await File.WriteAllTextAsync(path + ".type", contentType, cancellationToken);
        var temporary = Path.Combine(Root, $"{cid}.{Guid.NewGuid():N}.part");
        await File.WriteAllBytesAsync(temporary, content, cancellationToken);
        File.Move(temporary, path, overwrite: true);
        return cid;
    }

    /// <summary>The file and its content type, or null for a CID this store does not hold (or that is no CID of ours).</summary>
    public (string Path, string ContentType)? Find(string cid)
    {
        if (!CidPattern().IsMatch(cid))
        {
            return null;
        }

        var path = Path.Combine(Root, cid);
        return File.Exists(path) ? (path, File.ReadAllText(path + ".type")) : null;
    }

    /// <summary>Only names this store makes: the base32 CIDv1 of a raw SHA-256 block (no path tricks possible).</summary>
    [GeneratedRegex("^bafkrei[a-z2-7]{52}$")]
    private static partial Regex CidPattern();
}
