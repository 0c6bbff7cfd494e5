using System.Text.Json;
using FanForge.GrainInterfaces.Errors;
using Microsoft.AspNetCore.Diagnostics;

namespace FanForge.Api.Errors;

/// <summary>Turns every exception into the error envelope; see <see cref="ApiErrors"/> for the mapping table.</summary>
internal sealed class ErrorEnvelopeExceptionHandler(ILogger<ErrorEnvelopeExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        switch (exception)
        {
            case DomainException domain:
                await ApiErrors.WriteAsync(context, ApiErrors.StatusFor(domain.Kind), domain.Code, domain.Message, domain.DetailsJson);
                return true;

            case BadHttpRequestException bad:
                var isJson = bad.InnerException is JsonException;
                var (code, message) = isJson
                    ? (ErrorCodes.MalformedJson, "The request body is not valid JSON for this endpoint.")
                    : ApiErrors.ForStatus(bad.StatusCode);
                if (!isJson && bad.StatusCode == StatusCodes.Status400BadRequest)
                {
                    // Binding messages name the parameter and the expected type, never server internals.
                    message = bad.Message;
                }

                await ApiErrors.WriteAsync(context, bad.StatusCode, code, message);
                return true;

            case var transient when ApiErrors.IsTransient(transient):
                logger.LogWarning(exception, "Cluster or a dependency unreachable for {Method} {Path}", context.Request.Method, context.Request.Path);
                context.Response.Headers.RetryAfter = ApiErrors.TransientRetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await ApiErrors.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ErrorCodes.Unavailable,
                    "The service is temporarily unavailable. Try again shortly.");
                return true;

            default:
                logger.LogError(exception, "Unhandled exception for {Method} {Path}", context.Request.Method, context.Request.Path);
                await ApiErrors.WriteAsync(context, StatusCodes.Status500InternalServerError, ErrorCodes.Internal, "Internal server error");
                return true;
        }
    }
}
