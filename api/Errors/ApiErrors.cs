using System.Text.Json;
using FanForge.GrainInterfaces.Errors;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Orleans.Runtime.Messaging;

namespace FanForge.Api.Errors;

/// <summary>
/// The one place that decides how an error leaves the API. Mapping table:
/// <list type="table">
/// <item><term><see cref="DomainException"/></term><description>status by <see cref="DomainErrorKind"/>: Validation 400,
/// Unauthenticated 401, Forbidden 403, NotFound 404, Conflict 409, PayloadTooLarge 413, RateLimited 429, Upstream 502,
/// Unavailable 503; code and details from the exception.</description></item>
/// <item><term><see cref="BadHttpRequestException"/></term><description>its own 4xx status; <c>malformed_json</c> when
/// the body is not JSON or has wrong types, otherwise <c>invalid_request</c>.</description></item>
/// <item><term>transient infrastructure (<see cref="IsTransient"/>)</term><description>503 <c>service_unavailable</c>
/// with <c>Retry-After</c>: the silo's database or network failed, or the cluster is unreachable.</description></item>
/// <item><term>anything else</term><description>500 <c>internal_server_error</c>, logged, nothing internal exposed.</description></item>
/// <item><term>bodiless 4xx/5xx (unknown route, wrong method …)</term><description>the envelope with a code per status.</description></item>
/// </list>
/// </summary>
internal static class ApiErrors
{
    /// <summary>What a client is told to wait after a transient failure: about one silo failover or database restart.</summary>
    public const int TransientRetryAfterSeconds = 5;

    /// <summary>
    /// Failures that say nothing about the request and may pass by themselves: the silo's replacement for database,
    /// network and timeout failures, and Orleans' own signs of a lost silo or gateway. A codec missing on this side
    /// is among them only as a last resort (the silo's grain boundary filter is meant to leave none).
    /// </summary>
    public static bool IsTransient(Exception exception) => exception is InfrastructureUnavailableException
        or SiloUnavailableException
        or ConnectionFailedException
        or OrleansMessageRejectionException
        or GatewayTooBusyException
        or ClientNotAvailableException
        or TimeoutException
        or Orleans.Serialization.CodecNotFoundException;

    public static int StatusFor(DomainErrorKind kind) => kind switch
    {
        DomainErrorKind.Validation => StatusCodes.Status400BadRequest,
        DomainErrorKind.Unauthenticated => StatusCodes.Status401Unauthorized,
        DomainErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        DomainErrorKind.NotFound => StatusCodes.Status404NotFound,
        DomainErrorKind.Conflict => StatusCodes.Status409Conflict,
        DomainErrorKind.PayloadTooLarge => StatusCodes.Status413PayloadTooLarge,
        DomainErrorKind.RateLimited => StatusCodes.Status429TooManyRequests,
        DomainErrorKind.Upstream => StatusCodes.Status502BadGateway,
        DomainErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>Code and message for a status that carries no body of its own.</summary>
    public static (string Code, string Message) ForStatus(int status) => status switch
    {
        StatusCodes.Status400BadRequest => (ErrorCodes.InvalidRequest, "The request is invalid."),
        StatusCodes.Status401Unauthorized => (ErrorCodes.Unauthorized, "Authentication required."),
        StatusCodes.Status403Forbidden => (ErrorCodes.Forbidden, "You do not have permission to do this."),
        StatusCodes.Status404NotFound => (ErrorCodes.NotFound, "Not found."),
        StatusCodes.Status405MethodNotAllowed => (ErrorCodes.MethodNotAllowed, "Method not allowed."),
        StatusCodes.Status413PayloadTooLarge => (ErrorCodes.PayloadTooLarge, "The request body is too large."),
        StatusCodes.Status415UnsupportedMediaType => (ErrorCodes.UnsupportedMediaType, "Unsupported content type; send application/json."),
        StatusCodes.Status429TooManyRequests => (ErrorCodes.RateLimited, "Too many requests. Try again later."),
        StatusCodes.Status503ServiceUnavailable => (ErrorCodes.Unavailable, "The service is temporarily unavailable."),
        >= 500 => (ErrorCodes.Internal, "Internal server error"),
        _ => (ErrorCodes.InvalidRequest, "The request failed."),
    };

    public static Task WriteAsync(HttpContext context, int status, string code, string message, string? detailsJson = null)
    {
        JsonElement? details = detailsJson is null ? null : JsonSerializer.Deserialize<JsonElement>(detailsJson);
        return WriteAsync(context, status, ErrorEnvelope.Of(code, message, details));
    }

    public static Task WriteAsync(HttpContext context, int status, ErrorEnvelope envelope)
    {
        context.Response.StatusCode = status;
        var options = context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        return context.Response.WriteAsJsonAsync(envelope, options, contentType: "application/json; charset=utf-8", context.RequestAborted);
    }
}
