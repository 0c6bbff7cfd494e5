namespace FanForge.GrainInterfaces.Errors;

/// <summary>
/// Stable, machine-readable error codes. Clients branch on these, so a code is never renamed once shipped.
/// </summary>
public static class ErrorCodes
{
    /// <summary>Input failed validation.</summary>
    public const string Validation = "validation";

    /// <summary>The request body is not valid JSON.</summary>
    public const string MalformedJson = "malformed_json";

    /// <summary>The request could not be bound (wrong type, missing body, bad route or query value).</summary>
    public const string InvalidRequest = "invalid_request";

    /// <summary>A paging cursor this API did not hand out (notifications, the audit trail): 400.</summary>
    public const string InvalidCursor = "invalid_cursor";

    /// <summary>No route matches the path.</summary>
    public const string NotFound = "not_found";

    /// <summary>The route exists but not for this HTTP method.</summary>
    public const string MethodNotAllowed = "method_not_allowed";

    /// <summary>The request body exceeds the size limit.</summary>
    public const string PayloadTooLarge = "payload_too_large";

    /// <summary>The content type of the request is not accepted by the route.</summary>
    public const string UnsupportedMediaType = "unsupported_media_type";

    /// <summary>Authentication is required or failed.</summary>
    public const string Unauthorized = "unauthorized";

    /// <summary>The caller lacks permission.</summary>
    public const string Forbidden = "forbidden";

    /// <summary>The state does not allow the operation.</summary>
    public const string Conflict = "conflict";

    /// <summary>Too many requests.</summary>
    public const string RateLimited = "rate_limited";

    /// <summary>The cluster or a dependency is not available.</summary>
    public const string Unavailable = "service_unavailable";

    /// <summary>An unexpected failure on our side; details are never exposed.</summary>
    public const string Internal = "internal_server_error";

    /// <summary>An invalid argument was passed to a grain (e.g. a non-positive block size).</summary>
    public const string InvalidArgument = "invalid_argument";
}
