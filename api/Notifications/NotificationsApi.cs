using System.Text.Json.Serialization;
using FanForge.Api.Auth;
using FanForge.Api.Responses;
using FanForge.GrainInterfaces.Errors;
using FanForge.GrainInterfaces.Notifications;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FanForge.Api.Notifications;

/// <summary>The caller's own notifications: the wallet is the token's, never a route or body value.</summary>
internal static class NotificationsApi
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    /// <summary>Most ids one mark may name (an inbox keeps no more than this).</summary>
    public const int MaxIds = INotificationInbox.Capacity;

    /// <summary>Longest id accepted; ids are built from wallets and numbers, well under this.</summary>
    public const int MaxIdLength = 512;

    public static IEndpointRouteBuilder MapNotifications(this IEndpointRouteBuilder routes)
    {
        // No prefix on the group, so the list is /notifications itself rather than /notifications/.
        var notifications = routes.MapGroup("").WithTags("Notifications").RequireAuthorization(Policies.Authenticated);
        notifications.MapGet("/notifications", GetAsync)
            .WithSummary($"The caller's notifications, newest first: unread_only, limit 1..{MaxLimit} (default {DefaultLimit}), cursor "
                + "(next_cursor of the previous page; anything else → 400 invalid_cursor); with the unread count");
        notifications.MapPost("/notifications/read", MarkReadAsync)
            .WithSummary("Marks the caller's notifications read: {\"ids\": [...]} or {\"all\": true}; unknown or already read ids change nothing");
        return routes;
    }

    private static async Task<Ok<NotificationListResponse>> GetAsync(
        [FromQuery(Name = "unread_only")] bool? unreadOnly, int? limit, string? cursor, HttpContext context, IGrainFactory grains)
    {
        var wallet = context.User.WalletOf()!;
        var take = RequestValues.Limit(limit, DefaultLimit, MaxLimit);
        var before = cursor is null ? (long?)null : NotificationCursor.Parse(cursor);
        var page = await grains.GetGrain<INotificationInbox>(wallet).GetPageAsync(new NotificationQuery(take, unreadOnly == true, before));
        return TypedResults.Ok(new NotificationListResponse(
            wallet,
            [.. page.Items.Select(i => NotificationItem.From(i.Notification, i.Read))],
            page.UnreadCount,
            page.NextBefore is { } next ? NotificationCursor.Format(next) : null));
    }

    private static async Task<Ok<MarkReadResponse>> MarkReadAsync(MarkReadRequest request, HttpContext context, IGrainFactory grains)
    {
        var inbox = grains.GetGrain<INotificationInbox>(context.User.WalletOf()!);
        var result = (request.Ids, request.All) switch
        {
            (null, true) => await inbox.MarkAllReadAsync(),
            ({ } ids, null or false) => await inbox.MarkReadAsync(Ids(ids)),
            _ => throw DomainException.Invalid(ErrorCodes.Validation, "Send either \"ids\" (a list of notification ids) or \"all\": true."),
        };
        return TypedResults.Ok(new MarkReadResponse(result.Marked, result.UnreadCount));
    }

    private static IReadOnlyList<string> Ids(IReadOnlyList<string?> ids) =>
        ids.Count is > 0 and <= MaxIds && ids.All(id => id is { Length: > 0 and <= MaxIdLength })
            ? [.. ids.Cast<string>()]
            : throw DomainException.Invalid(ErrorCodes.Validation, $"ids must list 1 to {MaxIds} notification ids of 1 to {MaxIdLength} characters.");
}

/// <summary>
/// The paging cursor: opaque to clients (base64url), the inbox's arrival sequence inside. Parsed strictly, so a
/// cursor that was not issued here is a 400, never a silently different page.
/// </summary>
internal static class NotificationCursor
{
    private const string Prefix = "n1.";

    public static string Format(long sequence) =>
        System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.ASCII.GetBytes(Prefix + sequence.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    public static long Parse(string cursor)
    {
        string text;
        try
        {
            text = System.Text.Encoding.ASCII.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(cursor));
        }
        catch (FormatException)
        {
            throw Invalid();
        }

        return text.StartsWith(Prefix, StringComparison.Ordinal)
            && long.TryParse(text.AsSpan(Prefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var sequence)
            && sequence > 0
            && Format(sequence) == cursor
                ? sequence
                : throw Invalid();
    }

    private static DomainException Invalid() =>
        DomainException.Invalid(ErrorCodes.InvalidCursor, "cursor is not a next_cursor this API issued.");
}

internal sealed record NotificationListResponse(
    [property: JsonPropertyName("wallet")] string Wallet,
    [property: JsonPropertyName("notifications")] IReadOnlyList<NotificationItem> Notifications,
    [property: JsonPropertyName("unread_count")] int UnreadCount,
    [property: JsonPropertyName("next_cursor")] string? NextCursor);

internal sealed record MarkReadRequest(
    [property: JsonPropertyName("ids")] IReadOnlyList<string?>? Ids,
    [property: JsonPropertyName("all")] bool? All);

internal sealed record MarkReadResponse(
    [property: JsonPropertyName("marked")] int Marked,
    [property: JsonPropertyName("unread_count")] int UnreadCount);
