namespace FanForge.GrainInterfaces.Notifications;

/// <summary>
/// One wallet's notifications (key: the wallet), newest first, bounded: the newest <see cref="Capacity"/> are kept and
/// older ones dropped. A notification is kept once per id (and audience), so a source that delivers at least once
/// (it sends again whenever it cannot be sure the inbox took it) notifies exactly once. The inbox calls no grain but
/// this silo's live-feed outbox, so any grain may call it without a cycle.
/// </summary>
[Alias("ff.INotificationInbox")]
public interface INotificationInbox : IGrainWithStringKey
{
    /// <summary>How many notifications an inbox keeps.</summary>
    public const int Capacity = 200;

    /// <summary>How many ids an inbox remembers to recognise a repeat, beyond the notifications it keeps.</summary>
    public const int RememberedIds = 1024;

    /// <summary>
    /// Adds notifications for this wallet in one write (a batch from one source is one call), and pushes each new one
    /// on the wallet's live channel. Ones already seen change nothing. Answers how many were new.
    /// </summary>
    [Alias("Add")]
    Task<int> AddAsync(IReadOnlyList<Notification> notifications);

    /// <summary>A page, newest first, and the unread count.</summary>
    [Alias("GetPage")]
    Task<NotificationPage> GetPageAsync(NotificationQuery query);

    /// <summary>Marks the notifications with these ids read (unknown ids and ones already read change nothing).</summary>
    [Alias("MarkRead")]
    Task<MarkReadResult> MarkReadAsync(IReadOnlyList<string> ids);

    /// <summary>Marks every kept notification read.</summary>
    [Alias("MarkAllRead")]
    Task<MarkReadResult> MarkAllReadAsync();
}

/// <summary>
/// What to list: at most <see cref="Limit"/>, only unread ones if <see cref="UnreadOnly"/>, and only those older
/// than <see cref="Before"/> (the <see cref="NotificationPage.NextBefore"/> of the previous page; none: from the newest).
/// </summary>
[GenerateSerializer, Immutable, Alias("ff.NotificationQuery")]
public sealed record NotificationQuery(
    [property: Id(0)] int Limit,
    [property: Id(1)] bool UnreadOnly = false,
    [property: Id(2)] long? Before = null);

/// <summary>A kept notification: <see cref="Sequence"/> numbers the inbox's arrivals, so pages stay stable while new ones arrive.</summary>
[GenerateSerializer, Immutable, Alias("ff.InboxNotification")]
public sealed record InboxNotification(
    [property: Id(0)] long Sequence,
    [property: Id(1)] Notification Notification,
    [property: Id(2)] bool Read);

/// <summary>
/// A page of notifications, newest first; <see cref="NextBefore"/> continues after its last (null: no more).
/// <see cref="UnreadCount"/> counts every unread notification kept, not only this page's.
/// </summary>
[GenerateSerializer, Immutable, Alias("ff.NotificationPage")]
public sealed record NotificationPage(
    [property: Id(0)] IReadOnlyList<InboxNotification> Items,
    [property: Id(1)] int UnreadCount,
    [property: Id(2)] long? NextBefore);

/// <summary>How many notifications a mark changed, and the unread count after it.</summary>
[GenerateSerializer, Immutable, Alias("ff.MarkReadResult")]
public sealed record MarkReadResult([property: Id(0)] int Marked, [property: Id(1)] int UnreadCount);
