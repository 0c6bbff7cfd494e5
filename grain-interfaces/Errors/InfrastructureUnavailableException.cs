namespace FanForge.GrainInterfaces.Errors;

/// <summary>
/// A grain call failed because something it depends on is momentarily out of reach (database, network, a timeout),
/// not because of the request. The silo turns such failures into this type at the grain boundary because the
/// original exceptions (Npgsql's, sockets') may not cross to an API process that runs as a pure client; the API
/// answers 503 <c>service_unavailable</c> with <c>Retry-After</c>. The message is fixed text: the original one may
/// name hosts or connection details, so it stays in the silo's log.
/// </summary>
[GenerateSerializer, Alias("ff.InfrastructureUnavailableException")]
public sealed class InfrastructureUnavailableException : Exception
{
    /// <summary>The fixed message every instance carries.</summary>
    public const string SafeMessage = "A dependency of the cluster is temporarily unavailable. Try again shortly.";

    /// <summary>Creates the exception for a failure of type <paramref name="sourceType"/>.</summary>
    /// <param name="sourceType">Full name of the exception type that was replaced (no message, no data).</param>
    public InfrastructureUnavailableException(string sourceType)
        : base(SafeMessage)
    {
        SourceType = sourceType;
    }

    /// <summary>Full name of the exception type the silo replaced, for logs on the API side.</summary>
    [Id(0)]
    public string SourceType { get; private set; }
}
