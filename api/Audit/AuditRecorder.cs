using System.Text.Json;
using System.Text.Json.Nodes;
using FanForge.Api.Auth;
using FanForge.Api.Hosting;
using FanForge.GrainInterfaces.Audit;
using Microsoft.AspNetCore.Authorization;

namespace FanForge.Api.Audit;

/// <summary>
/// A change a route made, as the audit trail records it.
/// </summary>
/// <param name="Kind">One of <see cref="AuditKinds"/>, declared on the route with <see cref="AuditedEndpoints.Audited{TBuilder}"/>.</param>
/// <param name="Key">
/// The changed thing and its version (<c>product:12@{updated_at}</c>, <c>template:7:deleted</c>): a retry that gets the
/// first result names the same key, so it records nothing new, or records the entry a failed first attempt could not.
/// </param>
/// <param name="Subject">The changed thing (<c>product:12</c>).</param>
/// <param name="Wallet">The wallet the change concerns (the creator; the fan of a mint).</param>
/// <param name="Changes">What changed: <see cref="AuditChanges.Diff"/>.</param>
internal sealed record AuditChange(string Kind, string Key, string Subject, string? Wallet, JsonObject Changes);

/// <summary>Route metadata: the route records these kinds of change (the route enumeration test checks every write route has it).</summary>
internal sealed record AuditedMetadata(IReadOnlyList<string> Kinds);

internal static class AuditedEndpoints
{
    /// <summary>Declares that the route records <paramref name="kinds"/> in the audit trail.</summary>
    public static TBuilder Audited<TBuilder>(this TBuilder builder, params string[] kinds) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AuditedMetadata(kinds));
}

/// <summary>
/// Records the change a request made, after it made it: who (the token's wallet, and <c>admin</c> on admin routes),
/// when (the injected clock), what (<see cref="AuditChange"/>), the request id and the client's address (after the
/// forwarded-headers step, so a proxy's word counts only when the proxy is trusted). A failure leaves as it came
/// (<c>service_unavailable</c>, 503 with <c>Retry-After</c>): the change stands, and the client's retry, which gets the
/// first result, records it.
/// </summary>
internal sealed class AuditRecorder(IAuditTrail trail, TimeProvider time)
{
    public const string AdminRole = "admin";
    public const string CreatorRole = "creator";

    public Task<AuditEntry> RecordAsync(HttpContext http, AuditChange change)
    {
        var endpoint = http.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<AuditedMetadata>() is not { } audited || !audited.Kinds.Contains(change.Kind))
        {
            // The route table's metadata is what tells which routes are audited; it must not drift from what they record.
            throw new InvalidOperationException($"{endpoint?.DisplayName} records '{change.Kind}' without declaring it with .Audited(...).");
        }

        var actor = http.User.WalletOf() ?? throw new InvalidOperationException("An audited change needs the caller's token.");
        var admin = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy == Policies.Admin);
        var now = time.GetUtcNow();
        var record = new AuditRecord(
            change.Key, change.Kind, now.AddTicks(-(now.UtcTicks % 10)), actor, admin ? AdminRole : CreatorRole, change.Wallet, change.Subject,
            change.Changes.ToJsonString(), RequestIds.Of(http), ClientAddress(http));
        return trail.AppendAsync(record);
    }

    private static string? ClientAddress(HttpContext http) => http.Connection.RemoteIpAddress is { } address
        ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString()
        : null;
}

/// <summary>The compact "what changed" of an entry.</summary>
internal static class AuditChanges
{
    private static readonly JsonSerializerOptions Options = new();

    /// <summary>
    /// Each field whose value differs between <paramref name="before"/> and <paramref name="after"/> (objects serialised
    /// with their own JSON names), as <c>{"field": {"before": …, "after": …}}</c>: for a creation (no before) only
    /// <c>after</c>, for a removal (no after) only <c>before</c>.
    /// </summary>
    public static JsonObject Diff(object? before, object? after)
    {
        var (b, a) = (Fields(before), Fields(after));
        var changes = new JsonObject();
        foreach (var name in b.Select(p => p.Key).Union(a.Select(p => p.Key)))
        {
            var (was, now) = (b[name], a[name]);
            if (JsonNode.DeepEquals(was, now))
            {
                continue;
            }

            var field = new JsonObject();
            if (before is not null)
            {
                field["before"] = was?.DeepClone();
            }

            if (after is not null)
            {
                field["after"] = now?.DeepClone();
            }

            changes[name] = field;
        }

        return changes;
    }

    private static JsonObject Fields(object? value) =>
        value is null ? [] : JsonSerializer.SerializeToNode(value, value.GetType(), Options)?.AsObject() ?? [];
}
