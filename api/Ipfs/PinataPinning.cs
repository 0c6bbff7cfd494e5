using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using FanForge.GrainInterfaces.Errors;
using FanForge.GrainInterfaces.Templates;
using FanForge.Grains.Http;
using Microsoft.Extensions.Options;

namespace FanForge.Api.Ipfs;

/// <summary>
/// Pinata's pinning API: <c>POST /pinning/pinFileToIPFS</c>, multipart <c>file</c> plus <c>pinataMetadata</c> and
/// <c>pinataOptions</c> (CIDv1) as JSON strings, authorised by the JWT; the answer is <c>{IpfsHash, PinSize, Timestamp}</c>.
/// Sent through the outside-call pipeline (<see cref="BudgetFor"/>); every failure is a 502 <c>ipfs_unavailable</c>.
/// </summary>
internal sealed class PinataPinning(HttpClient http, IOptions<IpfsSettings> options, ILogger<PinataPinning> logger) : IIpfsPinning
{
    public const string HttpClientName = "pinata";

    /// <summary>
    /// <c>Ipfs:TimeoutSeconds</c> for the whole pin, at most 15 s of it per attempt, two retries. A pin is resent
    /// safely: the CID is the content's hash, so pinning the same bytes again yields the same CID (Pinata reports
    /// <c>isDuplicate</c>) and pins nothing twice.
    /// </summary>
    public static HttpCallBudget BudgetFor(IpfsSettings settings)
    {
        var total = TimeSpan.FromSeconds(settings.TimeoutSeconds);
        return new HttpCallBudget
        {
            TotalTimeout = total,
            AttemptTimeout = total < TimeSpan.FromSeconds(15) ? total : TimeSpan.FromSeconds(15),
            MaxRetries = 2,
            InitialBackoff = TimeSpan.FromMilliseconds(200),
            MaxBackoff = TimeSpan.FromSeconds(5),
        };
    }

    public async Task<string> PinFileAsync(string fileName, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken)
    {
        var jwt = options.Value.PinataJwt;
        if (string.IsNullOrEmpty(jwt))
        {
            throw new DomainException(DomainErrorKind.Unavailable, TemplateErrors.IpfsDisabled, "IPFS pinning is not configured (Ipfs:PinataJwt).");
        }

        using var file = new ReadOnlyMemoryContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        using var form = new MultipartFormDataContent
        {
            { file, "file", fileName },
            { new StringContent(JsonSerializer.Serialize(new { name = fileName })), "pinataMetadata" },
            { new StringContent("""{"cidVersion":1}"""), "pinataOptions" },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.Value.PinataApiBase, "pinning/pinFileToIPFS")) { Content = form };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", jwt);
        request.Options.Set(ExternalHttpResilience.IdempotentKey, true);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                // The body may echo our request; the status is enough to diagnose and carries no secret.
                logger.LogWarning("Pinata refused a pin of {FileName}: HTTP {Status}", fileName, (int)response.StatusCode);
                throw Unavailable();
            }

            var pinned = await response.Content.ReadFromJsonAsync<PinataPinResponse>(cancellationToken);
            return pinned?.IpfsHash is { Length: > 0 } cid ? cid : throw Unavailable();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or Polly.ExecutionRejectedException
            && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Pinata unreachable pinning {FileName}: {Error}", fileName, e.GetType().Name);
            throw Unavailable();
        }
    }

    private static DomainException Unavailable() =>
        new(DomainErrorKind.Upstream, TemplateErrors.IpfsUnavailable, "Failed to upload to IPFS. Try again shortly.");

    private sealed record PinataPinResponse(
        [property: JsonPropertyName("IpfsHash")] string? IpfsHash,
        [property: JsonPropertyName("PinSize")] long PinSize,
        [property: JsonPropertyName("isDuplicate")] bool? IsDuplicate);
}
