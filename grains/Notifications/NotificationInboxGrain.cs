using FanForge.Grains.Live;
using FanForge.GrainInterfaces.Errors;
using FanForge.GrainInterfaces.Live;
using FanForge.GrainInterfaces.Notifications;
using Microsoft.Extensions.Logging;

namespace FanForge.Grains.Notifications;

[GenerateSerializer, Alias("ff.NotificationInboxState")]
public sealed class NotificationInboxState
{
    /// <summary>Newest first, at most <see cref="INotificationInbox.Capacity"/>.</summary>
    [Id(0)] public List<InboxNotification> Items { get; set; } = [];

    /// <summary>Fingerprints of the latest ids taken (a <see cref="FingerprintWindow"/>), so a repeat is recognised after its notification was dropped too.</summary>
    [Id(1)] public List<long> Seen { get; set; } = [];

    /// <summary>The sequence number the next arrival gets.</summary>
    [Id(2)] public long NextSequence { get; set; } = 1;
}

/// <summary>
/// Key: wallet. Takes notifications once per (audience, id), keeps the newest <see cref="INotificationInbox.Capacity"/>,
/// and pushes each new one on the wallet's live channel through this silo's outbox (one-way): the inbox waits on no
/// grain, so sources calling it can form no cycle. Pages are by arrival sequence, so a page boundary never moves when
/// newer notifications arrive.
/// </summary>
[GrainType("ff.notification-inbox")]
public sealed class NotificationInboxGrain(
    [PersistentState("notification-inbox", StorageNames.Default)] IPersistentState<NotificationInboxState> state,
    ILogger<NotificationInboxGrain> logger) : Grain, INotificationInbox
{
    private FingerprintWindow? seen;

    private string Wallet => this.GetPrimaryKeyString();

    private FingerprintWindow Seen => seen ??= new FingerprintWindow(state.State.Seen, INotificationInbox.RememberedIds);

    public async Task<int> AddAsync(IReadOnlyList<Notification> notifications)
    {
        if (notifications.FirstOrDefault(n => n.Wallet != Wallet) is { } stray)
        {
            throw DomainException.Invalid(ErrorCodes.InvalidArgument, $"Notification {stray.Id} is for {stray.Wallet}, not {Wallet}.");
        }

        var fresh = new List<InboxNotification>();
        foreach (var notification in notifications)
        {
            if (Seen.TryAdd(IdentityOf(notification)))
            {
                fresh.Add(new InboxNotification(state.State.NextSequence++, notification, Read: false));
            }
        }

        if (fresh.Count == 0)
        {
            return 0;
        }

        fresh.Reverse(); // newest (highest sequence) first
        state.State.Items.PrependKeepingNewest(fresh, INotificationInbox.Capacity);
        await state.WriteStateAsync();
        await LiveEvents.PublishAsync(GrainFactory, [.. fresh.Select(f => LiveEventOf(f.Notification))], logger);
        return fresh.Count;
    }

    public Task<NotificationPage> GetPageAsync(NotificationQuery query)
    {
        if (query.Limit is < 1 or > INotificationInbox.Capacity)
        {
            throw DomainException.Invalid(ErrorCodes.InvalidArgument, $"limit must be between 1 and {INotificationInbox.Capacity}.");
        }

        var matching = state.State.Items
            .Where(i => (query.Before is not { } before || i.Sequence < before) && !(query.UnreadOnly && i.Read))
            .Take(query.Limit + 1)
            .ToList();
        var page = matching.Take(query.Limit).ToList();
        var next = matching.Count > query.Limit ? page[^1].Sequence : (long?)null;
        return Task.FromResult(new NotificationPage(page, UnreadCount(), next));
    }

    public async Task<MarkReadResult> MarkReadAsync(IReadOnlyList<string> ids)
    {
        var wanted = ids.ToHashSet(StringComparer.Ordinal);
        return await MarkAsync(i => wanted.Contains(i.Notification.Id));
    }

    public Task<MarkReadResult> MarkAllReadAsync() => MarkAsync(_ => true);

    private async Task<MarkReadResult> MarkAsync(Func<InboxNotification, bool> selected)
    {
        var items = state.State.Items;
        var marked = 0;
        for (var i = 0; i < items.Count; i++)
        {
            if (!items[i].Read && selected(items[i]))
            {
                items[i] = items[i] with { Read = true };
                marked++;
            }
        }

        if (marked > 0)
        {
            await state.WriteStateAsync();
        }

        return new MarkReadResult(marked, UnreadCount());
    }

    private int UnreadCount() => state.State.Items.Count(i => !i.Read);

    /// <summary>One event can notify a wallet both as its creator and as its fan (a creator buying its own merch).</summary>
    private static string IdentityOf(Notification n) => $"{n.Audience}:{n.Id}";

    private static LiveEvent LiveEventOf(Notification n) => new(
        $"notification:{n.Id}",
        "notification",
        [n.Audience == NotificationAudience.Creator ? LiveChannels.Creator(n.Wallet) : LiveChannels.Fan(n.Wallet)],
        new NotificationEventBody(n),
        n.At);
}
