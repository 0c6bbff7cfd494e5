using System.Text.Json;

namespace FanForge.GrainInterfaces.Errors;

/// <summary>
/// The one exception type for expected, client-caused or state-caused failures. It crosses grain calls intact
/// (serialised by Orleans) and the API turns it into the error envelope; anything else becomes a 500.
/// </summary>
[GenerateSerializer, Alias("ff.DomainException")]
public sealed class DomainException : Exception
{
    /// <summary>Creates a domain error.</summary>
    /// <param name="kind">Class of the error; decides the HTTP status.</param>
    /// <param name="code">Stable code from <see cref="ErrorCodes"/> or a feature's own constant.</param>
    /// <param name="message">Human-readable message shown by the frontend.</param>
    /// <param name="details">Optional structured details, serialised to JSON for the envelope.</param>
    public DomainException(DomainErrorKind kind, string code, string message, object? details = null)
        : base(message)
    {
        Kind = kind;
        Code = code;
        DetailsJson = details is null ? null : JsonSerializer.Serialize(details);
    }

    /// <summary>Class of the error.</summary>
    [Id(0)]
    public DomainErrorKind Kind { get; private set; }

    /// <summary>Stable machine-readable code.</summary>
    [Id(1)]
    public string Code { get; private set; }

    /// <summary>Structured details as JSON (kept as text so any shape survives the grain boundary).</summary>
    [Id(2)]
    public string? DetailsJson { get; private set; }

    /// <summary>A 400 with <paramref name="code"/>.</summary>
    public static DomainException Invalid(string code, string message, object? details = null) =>
        new(DomainErrorKind.Validation, code, message, details);

    /// <summary>A 404 naming what was not found.</summary>
    public static DomainException NotFound(string what, string id) =>
        new(DomainErrorKind.NotFound, ErrorCodes.NotFound, $"{what} not found: {id}", new { id });

    /// <summary>A 409 with <paramref name="code"/>.</summary>
    public static DomainException Conflict(string code, string message, object? details = null) =>
        new(DomainErrorKind.Conflict, code, message, details);

    /// <summary>A 403 with <paramref name="code"/>.</summary>
    public static DomainException Forbidden(string code, string message) =>
        new(DomainErrorKind.Forbidden, code, message);
}
