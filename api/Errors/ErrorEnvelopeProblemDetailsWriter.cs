using System.Text.Json;
using FanForge.GrainInterfaces.Errors;

namespace FanForge.Api.Errors;

/// <summary>
/// Everything ASP.NET Core would emit as ProblemDetails (status code pages, validation problems) leaves as the
/// prototype's error envelope instead, because the frontend reads <c>error.message</c>.
/// </summary>
internal sealed class ErrorEnvelopeProblemDetailsWriter : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var status = context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode;
        var envelope = context.ProblemDetails is HttpValidationProblemDetails validation
            ? ErrorEnvelope.Of(
                ErrorCodes.Validation,
                validation.Errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}")).FirstOrDefault() ?? "Validation failed.",
                JsonSerializer.SerializeToElement(new { errors = validation.Errors }))
            : FromStatus(status);
        return new ValueTask(ApiErrors.WriteAsync(context.HttpContext, status, envelope));
    }

    private static ErrorEnvelope FromStatus(int status)
    {
        var (code, message) = ApiErrors.ForStatus(status);
        return ErrorEnvelope.Of(code, message);
    }
}
