using System.Security.Cryptography;
using FanForge.Grains;
using FanForge.Grains.Merch;
using FanForge.GrainInterfaces.Errors;
using FanForge.GrainInterfaces.Notifications;
using FanForge.Silo;
using FanForge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace FanForge.Tests.Notifications;

/// <summary>
/// A cluster of its own for the inbox and its sources: a business clock the tests move (memberships, orders), orders
/// that expire after two seconds, and reminders as short as a second.
/// </summary>
public sealed class NotificationClusterFixture : IAsyncLifetime
{
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 9, 1, 0, 0, 0, TimeSpan.Zero));

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await TestClusters.StartAsync(1, new AlgorandSettings(), services =>
    {
        services.AddSingleton(new BusinessClock(Time));
        services.Configure<MerchOptions>(o => o.PaymentWindow = TimeSpan.FromSeconds(2));
        services.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
    });

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    public static string NewWallet() => new TestWallet(RandomNumberGenerator.GetBytes(32)).Address;
}

[CollectionDefinition(Name)]
public sealed class NotificationClusterCollection : ICollectionFixture<NotificationClusterFixture>
{
    public const string Name = "Notification cluster";
}

[Collection(NotificationClusterCollection.Name)]
public sealed class NotificationInboxTests(NotificationClusterFixture fixture)
{
    private static readonly DateTimeOffset At = new(2026, 9, 1, 12, 0, 0, TimeSpan.Zero);

    private INotificationInbox Inbox(string wallet) => fixture.Cluster.Client.GetGrain<INotificationInbox>(wallet);

    private static Notification Notice(string wallet, string id, NotificationAudience audience = NotificationAudience.Fan) =>
        new(id, wallet, audience, NotificationKinds.OrderPaid, At, new NotificationDetails(OrderId: 1));

    private static async Task<List<string>> IdsAsync(INotificationInbox inbox, int limit = 200, bool unreadOnly = false) =>
        [.. (await inbox.GetPageAsync(new NotificationQuery(limit, unreadOnly))).Items.Select(i => i.Notification.Id)];

    [Fact]
    public async Task A_redelivered_notification_is_kept_once_and_a_batch_is_listed_newest_first()
    {
        var wallet = NotificationClusterFixture.NewWallet();
        var inbox = Inbox(wallet);

        var first = await inbox.AddAsync([Notice(wallet, "a"), Notice(wallet, "b")]);
        var again = await inbox.AddAsync([Notice(wallet, "b"), Notice(wallet, "a")]);
        var mixed = await inbox.AddAsync([Notice(wallet, "a"), Notice(wallet, "c")]);

        Assert.Equal((2, 0, 1), (first, again, mixed));
        Assert.Equal(["c", "b", "a"], await IdsAsync(inbox));
        Assert.Equal(3, (await inbox.GetPageAsync(new NotificationQuery(1))).UnreadCount);
    }

    [Fact]
    public async Task The_same_id_told_as_creator_and_as_fan_is_two_notifications()
    {
        var wallet = NotificationClusterFixture.NewWallet();

        var added = await Inbox(wallet).AddAsync([Notice(wallet, "order_paid:7"), Notice(wallet, "order_paid:7", NotificationAudience.Creator)]);

        Assert.Equal(2, added);
    }

    [Fact]
    public async Task The_inbox_keeps_the_newest_two_hundred_and_still_recognises_a_dropped_one()
    {
        var wallet = NotificationClusterFixture.NewWallet();
        var inbox = Inbox(wallet);
        foreach (var chunk in Enumerable.Range(1, INotificationInbox.Capacity + 5).Chunk(50))
        {
            await inbox.AddAsync([.. chunk.Select(n => Notice(wallet, $"n{n}"))]);
        }

        var kept = await IdsAsync(inbox);
        var redelivered = await inbox.AddAsync([Notice(wallet, "n1")]);

        Assert.Equal(INotificationInbox.Capacity, kept.Count);
        Assert.Equal(("n205", "n6"), (kept[0], kept[^1]));
        Assert.Equal(0, redelivered);
        Assert.Equal(INotificationInbox.Capacity, (await inbox.GetPageAsync(new NotificationQuery(1))).UnreadCount);
    }

    [Fact]
    public async Task Pages_follow_the_cursor_and_do_not_shift_when_newer_notifications_arrive()
    {
        var wallet = NotificationClusterFixture.NewWallet();
        var inbox = Inbox(wallet);
        await inbox.AddAsync([.. Enumerable.Range(1, 5).Select(n => Notice(wallet, $"n{n}"))]);

        var first = await inbox.GetPageAsync(new NotificationQuery(2));
        await inbox.AddAsync([Notice(wallet, "n6")]);
        var second = await inbox.GetPageAsync(new NotificationQuery(2, Before: first.NextBefore));
        var third = await inbox.GetPageAsync(new NotificationQuery(2, Before: second.NextBefore));

        Assert.Equal(["n5", "n4"], first.Items.Select(i => i.Notification.Id));
        Assert.Equal(["n3", "n2"], second.Items.Select(i => i.Notification.Id));
        Assert.Equal(["n1"], third.Items.Select(i => i.Notification.Id));
        Assert.Null(third.NextBefore);
        Assert.Equal(6, third.UnreadCount);
    }

    [Fact]
    public async Task Marking_by_ids_then_all_reads_them_once_and_unread_only_lists_the_rest()
    {
        var wallet = NotificationClusterFixture.NewWallet();
        var inbox = Inbox(wallet);
        await inbox.AddAsync([.. Enumerable.Range(1, 4).Select(n => Notice(wallet, $"n{n}"))]);

        var byIds = await inbox.MarkReadAsync(["n2", "n3", "unknown"]);
        var repeated = await inbox.MarkReadAsync(["n2"]);
        var unread = await IdsAsync(inbox, unreadOnly: true);
        var unreadPage = await inbox.GetPageAsync(new NotificationQuery(1, UnreadOnly: true));
        var nextUnread = await inbox.GetPageAsync(new NotificationQuery(5, true, unreadPage.NextBefore));
        var all = await inbox.MarkAllReadAsync();
        var allAgain = await inbox.MarkAllReadAsync();

        Assert.Equal(new MarkReadResult(2, 2), byIds);
        Assert.Equal(new MarkReadResult(0, 2), repeated);
        Assert.Equal(["n4", "n1"], unread);
        Assert.Equal(["n4"], unreadPage.Items.Select(i => i.Notification.Id));
        Assert.NotNull(unreadPage.NextBefore);
        Assert.Equal(["n1"], nextUnread.Items.Select(i => i.Notification.Id));
        Assert.Null(nextUnread.NextBefore);
        Assert.Equal(new MarkReadResult(2, 0), all);
        Assert.Equal(new MarkReadResult(0, 0), allAgain);
        Assert.All((await inbox.GetPageAsync(new NotificationQuery(10))).Items, i => Assert.True(i.Read));
    }

    [Fact]
    public async Task Another_wallets_notification_is_refused_and_changes_nothing()
    {
        var (wallet, other) = (NotificationClusterFixture.NewWallet(), NotificationClusterFixture.NewWallet());

        var refused = await Assert.ThrowsAsync<DomainException>(() => Inbox(wallet).AddAsync([Notice(wallet, "mine"), Notice(other, "theirs")]));

        Assert.Equal(DomainErrorKind.Validation, refused.Kind);
        Assert.Empty(await IdsAsync(Inbox(wallet)));
    }
}
