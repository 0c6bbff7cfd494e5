using System.Text;
using FanForge.Grains.Http;

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

    /// <summary>Orleans abandons a grain call after this long; every node call made inside one must end sooner.</summary>
    public static readonly TimeSpan GrainCallTimeout = HttpCallBudget.GrainCallTimeout;

    /// <summary>Per attempt, including reading the body, so one slow try cannot eat the whole retry budget.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// One call's whole budget, every attempt and back-off included. Below <see cref="GrainCallTimeout"/> with room
    /// for the grain's own work, so the grain sees the node's failure rather than its caller seeing a grain timeout.
    /// </summary>
    public TimeSpan TotalTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Whole budget of a <c>wait-for-block-after</c> call, which algod holds open until the next block (about a
    /// minute on a stalled network). The chain follower cancels its wait after its BlockWait (5 s by default) and
    /// reads the plain status instead, so this is only the backstop, kept under <see cref="GrainCallTimeout"/>.
    /// </summary>
    public TimeSpan LongPollTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries after the first attempt, so a call makes at most <c>MaxRetries + 1</c> requests.</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>First backoff; doubled per retry and jittered so that silos retrying together spread out.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Cap on one backoff. A 429 whose Retry-After asks for longer fails at once (with the wait on the exception)
    /// instead of parking a grain call for minutes.
    /// </summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>These limits as the outside-call pipeline takes them.</summary>
    internal HttpCallBudget Budget => new()
    {
        AttemptTimeout = Timeout,
        TotalTimeout = TotalTimeout,
        MaxRetries = MaxRetries,
        InitialBackoff = InitialBackoff,
        MaxBackoff = MaxBackoff,
    };

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

        if (Timeout <= TimeSpan.Zero || TotalTimeout <= TimeSpan.Zero || LongPollTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("Node timeouts must be positive.", nameof(Timeout));
        }

        if (TotalTimeout >= GrainCallTimeout || LongPollTimeout >= GrainCallTimeout)
        {
            throw new ArgumentException(
                $"A node call's budget must end before Orleans' {GrainCallTimeout.TotalSeconds} s grain-call timeout.", nameof(TotalTimeout));
        }

        if (MaxRetries < 0 || InitialBackoff < TimeSpan.Zero || MaxBackoff <= TimeSpan.Zero)
        {
            throw new ArgumentException("MaxRetries and the first backoff must not be negative, the backoff cap must be positive.", nameof(MaxRetries));
        }
    }

    // The compiler-made ToString would print the token into any log line that formats the options.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("BaseUrl = ").Append(BaseUrl)
            .Append(", ApiToken = ").Append(ApiToken.Length == 0 ? "(none)" : "***")
            .Append(", TokenHeader = ").Append(TokenHeader)
            .Append(", Timeout = ").Append(Timeout)
            .Append(", TotalTimeout = ").Append(TotalTimeout)
            .Append(", LongPollTimeout = ").Append(LongPollTimeout)
            .Append(", MaxRetries = ").Append(MaxRetries)
            .Append(", InitialBackoff = ").Append(InitialBackoff)
            .Append(", MaxBackoff = ").Append(MaxBackoff);
        return true;
    }
}
