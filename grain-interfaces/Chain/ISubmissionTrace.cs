using Orleans.Concurrency;

namespace FanForge.GrainInterfaces.Chain;

/// <summary>
/// Key: an atomic group id (base64). While tracing is on, the trace context of the request that submitted the group,
/// kept in memory for a short while, so the chain follower can link the payment's processing to that request when it
/// reads the group from the chain. Best effort: nothing is stored durably, and a link that is gone is simply absent.
/// </summary>
[Alias("ff.ISubmissionTrace")]
public interface ISubmissionTrace : IGrainWithStringKey
{
    /// <summary>Remembers the submitting span's W3C <c>traceparent</c> (one-way: the request does not wait for it).</summary>
    [Alias("Remember"), OneWay]
    Task RememberAsync(string traceParent);

    /// <summary>The remembered <c>traceparent</c>, or null; the grain then leaves memory, as a group is read once.</summary>
    [Alias("Take")]
    Task<string?> TakeAsync();
}
