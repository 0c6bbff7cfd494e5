using System.Diagnostics;

namespace FanForge.Grains;

/// <summary>
/// Our spans for a payment's story: the submission of the signed group, then its processing once the chain confirmed
/// it (the follower hands it to the creator's journal, the journal delivers it to its owner, the owner may mint). The
/// processing runs later, on the follower's and the journal's own turns, so it is a trace of its own, linked to the
/// submitting request's trace where that link is known. Spans carry <see cref="TxId"/> (and <see cref="Group"/>), so
/// a search for a transaction id finds both. Nothing is created unless a tracer listens (OTLP export configured).
/// </summary>
public static class PaymentTracing
{
    public const string SourceName = "FanForge.Payments";

    /// <summary>The Algorand transaction id a span is about; several (an array) when a span covers a batch.</summary>
    public const string TxId = "algorand.txid";

    /// <summary>The atomic group id (base64) of <see cref="TxId"/>.</summary>
    public const string Group = "algorand.group";

    public const string Round = "algorand.round";
    public const string Creator = "fanforge.creator";
    public const string Kind = "fanforge.payment.kind";
    public const string Consumer = "fanforge.payment.consumer";
    public const string Count = "fanforge.payment.count";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>Whether a tracer listens: the only case in which links are looked up and spans made.</summary>
    public static bool Enabled => Source.HasListeners();

    /// <summary>
    /// Starts <paramref name="name"/> as the root of a new trace, whatever <see cref="Activity.Current"/> is (a grain
    /// timer may run with the context of the call that activated the grain), or as a child of <paramref name="parent"/>.
    /// </summary>
    public static Activity? StartDetached(string name, ActivityContext parent = default)
    {
        if (!Enabled)
        {
            return null;
        }

        // Current only inside the caller's async method: when that method returns, its caller's context comes back.
        var previous = Activity.Current;
        Activity.Current = null;
        var started = Source.StartActivity(name, ActivityKind.Internal, parent);
        if (started is null)
        {
            Activity.Current = previous;
        }

        return started;
    }

    /// <summary>One transaction id as a string, several as an array (OTLP attributes may be arrays).</summary>
    public static void SetTxIds(this Activity activity, IReadOnlyCollection<string> txIds) => activity.SetOneOrMany(TxId, txIds);

    /// <summary>One group id as a string, several as an array.</summary>
    public static void SetTxGroups(this Activity activity, IReadOnlyCollection<string> groups) => activity.SetOneOrMany(Group, groups);

    private static void SetOneOrMany(this Activity activity, string tag, IReadOnlyCollection<string> values)
    {
        if (values.Count == 1)
        {
            activity.SetTag(tag, values.First());
        }
        else if (values.Count > 1)
        {
            activity.SetTag(tag, values.ToArray());
        }
    }

    /// <summary>The W3C <c>traceparent</c> of a span, the form a context travels in between grains.</summary>
    public static string TraceParent(this ActivityContext context) =>
        $"00-{context.TraceId.ToHexString()}-{context.SpanId.ToHexString()}-{((context.TraceFlags & ActivityTraceFlags.Recorded) != 0 ? "01" : "00")}";

    /// <summary>The context of a <c>traceparent</c>; default when it is absent or malformed.</summary>
    public static ActivityContext ParseTraceParent(string? traceParent) =>
        ActivityContext.TryParse(traceParent, null, isRemote: true, out var context) ? context : default;
}
