using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using FanForge.Api.Auth;
using FanForge.Api.Responses;
using FanForge.GrainInterfaces.Audit;
using FanForge.GrainInterfaces.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FanForge.Api.Audit;

/// <summary>
/// <c>GET /admin/audit</c>: the audit trail of admin actions and creator configuration changes, newest first, for
/// platform admins. Filters: <c>wallet</c> (the entry's wallet or its actor), <c>kind</c>, <c>from</c> (inclusive) and
/// <c>to</c> (exclusive) as ISO 8601 instants; <c>limit</c> 1..200 (50); <c>cursor</c> from the previous page.
/// </summary>
internal static class AuditApi
{
    private const int DefaultLimit = 50;
    private const int MaxLimit = 200;
    private const string CursorVersion = "a1";

    public static IEndpointRouteBuilder MapAudit(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/admin").WithTags("Admin").RequireAuthorization(Policies.Admin)
            .MapGet("/audit", GetAsync)
            .WithSummary("Admin: the audit trail of admin actions and creator configuration changes, newest first "
                + "(wallet, kind, from inclusive, to exclusive, limit 1..200, cursor from next_cursor; a bad cursor → 400 invalid_cursor)");
        return routes;
    }

    private static async Task<Ok<AuditPageResponse>> GetAsync(
        string? wallet, string? kind, string? from, string? to, int? limit, string? cursor, IAuditTrail trail)
    {
        var query = new AuditQuery(
            wallet is null ? null : RequestValues.Wallet(wallet),
            kind is null || AuditKinds.All.Contains(kind)
                ? kind
                : throw DomainException.Invalid(ErrorCodes.Validation, $"kind must be one of: {string.Join(", ", AuditKinds.All.Order(StringComparer.Ordinal))}."),
            Instant(from, "from"),
            Instant(to, "to"),
            cursor is null ? null : Decode(cursor),
            RequestValues.Limit(limit, DefaultLimit, MaxLimit));
        if (query.From > query.To)
        {
            throw DomainException.Invalid(ErrorCodes.Validation, "from must not be after to.");
        }

        var page = await trail.QueryAsync(query);
        return TypedResults.Ok(new AuditPageResponse(
            [.. page.Entries.Select(AuditEntryRow.From)], page.Next is { } next ? Encode(next) : null));
    }

    private static DateTimeOffset? Instant(string? text, string field) =>
        text is null ? null
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at) ? at
        : throw DomainException.Invalid(ErrorCodes.Validation, $"{field} must be an ISO 8601 instant, e.g. 2025-01-31T12:00:00Z.");

    /// <summary>Opaque to clients: the last entry's time (microseconds since the epoch) and id, base64url.</summary>
    internal static string Encode(AuditCursor cursor) => Base64Url.EncodeToString(Encoding.ASCII.GetBytes(string.Create(
        CultureInfo.InvariantCulture, $"{CursorVersion}:{(cursor.At.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10}:{cursor.Id}")));

    internal static AuditCursor Decode(string text)
    {
        try
        {
            var parts = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(text)).Split(':');
            if (parts.Length == 3 && parts[0] == CursorVersion
                && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var micros)
                && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                && micros <= (DateTimeOffset.MaxValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10)
            {
                return new AuditCursor(DateTimeOffset.UnixEpoch.AddTicks(micros * 10), id);
            }
        }
        catch (FormatException)
        {
            // Not base64url: answered below like any other cursor we did not hand out.
        }

        throw DomainException.Invalid(ErrorCodes.InvalidCursor, "cursor is not one this API handed out; start again without it.");
    }
}

internal sealed record AuditPageResponse(
    [property: JsonPropertyName("entries")] IReadOnlyList<AuditEntryRow> Entries,
    [property: JsonPropertyName("next_cursor")] string? NextCursor);

/// <summary>One entry; <c>changes</c> is the JSON object of changed fields, each with <c>before</c> and/or <c>after</c>.</summary>
internal sealed record AuditEntryRow(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("at")] DateTimeOffset At,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("actor")] string Actor,
    [property: JsonPropertyName("actor_role")] string ActorRole,
    [property: JsonPropertyName("wallet")] string? Wallet,
    [property: JsonPropertyName("subject")] string Subject,
    [property: JsonPropertyName("changes")] JsonElement Changes,
    [property: JsonPropertyName("request_id")] string RequestId,
    [property: JsonPropertyName("client_address")] string? ClientAddress)
{
    public static AuditEntryRow From(AuditEntry entry)
    {
        var r = entry.Record;
        return new(entry.Id, r.At, r.Kind, r.Actor, r.ActorRole, r.Wallet, r.Subject, JsonSerializer.Deserialize<JsonElement>(r.Changes),
            r.RequestId, r.ClientAddress);
    }
}
