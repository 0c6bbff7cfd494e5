using System.Text.Json;
using System.Text.Json.Serialization;

namespace FanForge.Api.Errors;

/// <summary>The prototype's error shape, which the frontend reads as <c>error.message</c>.</summary>
public sealed record ErrorEnvelope(
    [property: JsonPropertyName("success")] bool Success,
    [property: JsonPropertyName("error")] ErrorBody Error)
{
    public static ErrorEnvelope Of(string code, string message, JsonElement? details = null) =>
        new(false, new ErrorBody(code, message, details));
}

public sealed record ErrorBody(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("details")] JsonElement? Details);
