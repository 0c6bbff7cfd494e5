using System.Net;

namespace FanForge.Grains.Algorand.Clients;

/// <summary>
/// A call to algod or the indexer failed for good: a 4xx (never retried), or a transient failure (5xx, 429,
/// transport error, timeout) that outlasted the retries. The message names the node, method and path, never the token.
/// </summary>
public sealed class AlgorandNodeException : Exception
{
    public AlgorandNodeException(string message)
        : base(message)
    {
    }

    public AlgorandNodeException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public AlgorandNodeException(HttpStatusCode? statusCode, string message, string? nodeMessage = null, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        NodeMessage = nodeMessage;
    }

    public AlgorandNodeException()
    {
    }

    /// <summary>Null when no HTTP answer came back (timeout, refused connection).</summary>
    public HttpStatusCode? StatusCode { get; init; }

    /// <summary>The node's own <c>{"message": …}</c> text, e.g. a pool or logic-eval error.</summary>
    public string? NodeMessage { get; init; }

    /// <summary>Requests made, the first included.</summary>
    public int Attempts { get; init; }

    /// <summary>Set when a 429 asked for a longer wait than the client will sleep; the caller can schedule it.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>
    /// algod refused a submit because the same transaction is already committed. Resubmitting identical signed bytes
    /// is how a submit whose answer was lost gets retried, so the caller usually treats this as success with the
    /// txid it computed itself.
    /// </summary>
    public bool IsAlreadyInLedger =>
        NodeMessage?.Contains("already in ledger", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>Worth trying again later: the node was unreachable, overloaded, throttling or failing.</summary>
    public bool IsTransient => StatusCode is null or HttpStatusCode.TooManyRequests || (int)StatusCode >= 500;
}
