using System.Data.Common;
using System.Net.Sockets;
using System.Reflection;
using FanForge.GrainInterfaces.Errors;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace FanForge.Silo;

/// <summary>
/// Every failure that leaves a grain call can be read by whoever called it, the API included when it runs as a pure
/// Orleans client. Database, network and timeout failures, and any exception type Orleans cannot be trusted to carry
/// (third-party types such as Npgsql's, whose codecs the client may lack), become
/// <see cref="InfrastructureUnavailableException"/>: a fixed message, the original logged here. Our domain errors and
/// the serializable BCL and Orleans types pass unchanged, so a bug is still a bug (500) rather than a 503.
/// </summary>
internal sealed partial class GrainBoundaryExceptionFilter(ILogger<GrainBoundaryExceptionFilter> logger) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception e) when (MustReplace(e))
        {
            LogReplaced(logger, e, context.InterfaceName, context.MethodName, e.GetType().FullName);
            throw new InfrastructureUnavailableException(e.GetType().FullName ?? e.GetType().Name);
        }
    }

    /// <summary>True when <paramref name="exception"/> (or anything it wraps) is infrastructure or may not cross.</summary>
    internal static bool MustReplace(Exception exception)
    {
        // The runtime deactivates the grain when an InconsistentStateException leaves it (its state is stale); it
        // is Orleans' own serializable type and must reach the runtime as it is.
        if (exception is InconsistentStateException)
        {
            return false;
        }

        return Chain(exception).Any(e => IsInfrastructure(e) || !Crosses(e.GetType()));
    }

    private static bool IsInfrastructure(Exception e) =>
        e is DbException or SocketException or TimeoutException or IOException or HttpRequestException;

    /// <summary>Ours or Orleans' with a generated codec, or a core BCL exception Orleans' exception codec carries.</summary>
    private static bool Crosses(Type type) =>
        type.GetCustomAttribute<GenerateSerializerAttribute>(inherit: false) is not null
        || type.Assembly == typeof(object).Assembly
        || type.Assembly.GetName().Name is { } name && name.StartsWith("Orleans.", StringComparison.Ordinal);

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        var pending = new Stack<Exception>([exception]);
        while (pending.TryPop(out var e))
        {
            yield return e;
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    pending.Push(inner);
                }
            }
            else if (e.InnerException is { } inner)
            {
                pending.Push(inner);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Interface}.{Method} failed with {ExceptionType}; the caller gets InfrastructureUnavailableException")]
    private static partial void LogReplaced(ILogger logger, Exception exception, string @interface, string method, string? exceptionType);
}
