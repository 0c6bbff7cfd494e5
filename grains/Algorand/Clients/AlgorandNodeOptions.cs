using System.Text;

namespace FanForge.Grains.Algorand.Clients;

/// <summary>Where one algod or indexer endpoint lives and how hard to try it before giving up.</summary>
public sealed record AlgorandNodeOptions
{
    public const string AlgodTokenHeader = "X-Algo-API-Token";
    public const string IndexerTokenHeader = "X-Indexer-API-Token";

    /// <summary>Absolute http(s) root of the node; a path prefix (a gateway mount) is kept.</summary>
    public required Uri BaseUrl { get; init; }

    /// <summary>Secret. Public endpoints (AlgoNode, Nodely) need none, so empty sends no header at all.</summary>
    public string ApiToken { get; init; } = "";

    /// <summary>Null means the client's own default: <see cref="AlgodTokenHeader"/> or <see cref="IndexerTokenHeader"/>.</summary>
    public string? TokenHeader { get; init; }

    /// <summary>Per attempt, including reading the body, so one slow try cannot eat the whole retry budget.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Per attempt for <c>wait-for-block-after</c>, which algod holds open until the next block or about a minute
    /// on a stalled network; the ordinary timeout would turn every stall into a retry storm.
    /// </summary>
    public TimeSpan LongPollTimeout { get; init; } = TimeSpan.FromSeconds(70);

    /// <summary>Retries after the first attempt, so a call makes at most <c>MaxRetries + 1</c> requests.</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>First backoff; doubled per retry and jittered so that silos retrying together spread out.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Cap on one backoff. A 429 whose Retry-After asks for longer fails at once (with the wait on the exception)
    /// instead of parking a grain call for minutes.
    /// </summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(10);

    public static AlgorandNodeOptions ForAlgod(Uri baseUrl, string apiToken = "") =>
        new() { BaseUrl = baseUrl, ApiToken = apiToken, TokenHeader = AlgodTokenHeader };

    public static AlgorandNodeOptions ForIndexer(Uri baseUrl, string apiToken = "") =>
        new() { BaseUrl = baseUrl, ApiToken = apiToken, TokenHeader = IndexerTokenHeader };

    /// <summary>Fails fast at start-up rather than on the first chain call.</summary>
    public void Validate()
    {
        if (!BaseUrl.IsAbsoluteUri || (BaseUrl.Scheme != Uri.UriSchemeHttp && BaseUrl.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"The node URL must be an absolute http(s) URL, got '{BaseUrl}'.", nameof(BaseUrl));
        }

        if (Timeout <= TimeSpan.Zero || LongPollTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("Node timeouts must be positive.", nameof(Timeout));
        }

        if (MaxRetries < 0 || InitialBackoff < TimeSpan.Zero || MaxBackoff < TimeSpan.Zero)
        {
            throw new ArgumentException("MaxRetries and backoffs must not be negative.", nameof(MaxRetries));
        }
    }

    // The compiler-made ToString would print the token into any log line that formats the options.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("BaseUrl = ").Append(BaseUrl)
            .Append(", ApiToken = ").Append(ApiToken.Length == 0 ? "(none)" : "***")
            .Append(", TokenHeader = ").Append(TokenHeader)
            .Append(", Timeout = ").Append(Timeout)
            .Append(", LongPollTimeout = ").Append(LongPollTimeout)
            .Append(", MaxRetries = ").Append(MaxRetries)
            .Append(", InitialBackoff = ").Append(InitialBackoff)
            .Append(", MaxBackoff = ").Append(MaxBackoff);
        return true;
    }
}
