namespace FanForge.Api.Ipfs;

/// <summary>Pins exact bytes to IPFS and names them by content id; the gateway turns an id into a public URL.</summary>
public interface IIpfsPinning
{
    /// <summary>
    /// Pins <paramref name="content"/> as a file and returns its CID. Files, not JSON objects, so the pinned bytes are
    /// ours byte for byte (a JSON pin is re-serialised by the service and would no longer match a hash we publish).
    /// </summary>
    Task<string> PinFileAsync(string fileName, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken);
}

/// <summary>Public URLs of pinned content, from configuration, so a gateway change needs no data migration.</summary>
public sealed class IpfsGateway(string prefix)
{
    public string Url(string cid) => $"{prefix.TrimEnd('/')}/{cid}";

    public string? UrlOrNull(string? cid) => cid is null ? null : Url(cid);
}
