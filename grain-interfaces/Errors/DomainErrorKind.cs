namespace FanForge.GrainInterfaces.Errors;

/// <summary>
/// The class of a domain error. The API maps each kind to exactly one HTTP status, so grains never think in HTTP.
/// </summary>
public enum DomainErrorKind
{
    /// <summary>The request is malformed or breaks a rule of the input (HTTP 400).</summary>
    Validation = 0,

    /// <summary>The caller is not authenticated or the credentials are invalid (HTTP 401).</summary>
    Unauthenticated = 1,

    /// <summary>The caller is authenticated but may not do this (HTTP 403).</summary>
    Forbidden = 2,

    /// <summary>The addressed thing does not exist (HTTP 404).</summary>
    NotFound = 3,

    /// <summary>The request conflicts with the current state, e.g. a double spend or a duplicate (HTTP 409).</summary>
    Conflict = 4,

    /// <summary>The payload is larger than allowed (HTTP 413).</summary>
    PayloadTooLarge = 5,

    /// <summary>The caller sent too many requests (HTTP 429).</summary>
    RateLimited = 6,

    /// <summary>An upstream dependency (algod, Stripe, Pinata) failed (HTTP 502).</summary>
    Upstream = 7,

    /// <summary>A feature is switched off or a dependency is not configured (HTTP 503).</summary>
    Unavailable = 8,
}
