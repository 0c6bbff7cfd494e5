using System.Diagnostics;
using System.Diagnostics.Metrics;
using FanForge.Grains.Creators;
using FanForge.Grains.Live;
using FanForge.Grains.Notifications;
using FanForge.GrainInterfaces.Errors;
using FanForge.GrainInterfaces.Loyalty;
using FanForge.GrainInterfaces.Memberships;
using FanForge.GrainInterfaces.Merch;
using FanForge.GrainInterfaces.Notifications;
using FanForge.GrainInterfaces.Shawty;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FanForge.Grains.Loyalty;

/// <summary>A journaled payment, its kind, and the one consumer that owns it (<c>null</c>: nobody, e.g. an order memo naming no order).</summary>
[GenerateSerializer, Immutable, Alias("ff.JournalEntry")]
public sealed record JournalEntry([property: Id(0)] ChainTip Payment, [property: Id(1)] string Kind, [property: Id(2)] string? Consumer);

/// <summary>Why a consumer's payments are waiting, and when they are tried again.</summary>
[GenerateSerializer, Alias("ff.ConsumerFailure")]
public sealed record ConsumerFailure([property: Id(0)] int Attempts, [property: Id(1)] string Reason, [property: Id(2)] DateTimeOffset RetryAt);

[GenerateSerializer, Alias("ff.RevenueTotal")]
public sealed class RevenueTotal
{
    [Id(0)] public int Count { get; set; }
    [Id(1)] public long MicroAlgo { get; set; }
}

[GenerateSerializer, Alias("ff.CreatorPaymentsState")]
public sealed class CreatorPaymentsState
{
    /// <summary>The last journaled payment: everything at or below it is in the journal or was delivered.</summary>
    [Id(0)] public ChainPosition HighWater { get; set; }

    /// <summary>Journaled payments their consumer has not taken yet, in chain order.</summary>
    [Id(1)] public List<JournalEntry> Pending { get; set; } = [];

    /// <summary>Consumers whose last delivery failed, by consumer key.</summary>
    [Id(2)] public Dictionary<string, ConsumerFailure> Failures { get; set; } = [];

    [Id(3)] public int TipCount { get; set; }
    [Id(4)] public long TipMicroAlgo { get; set; }
    [Id(5)] public int UniqueFans { get; set; }

    /// <summary>Newest first, at most <see cref="CreatorPaymentsGrain.RecentCapacity"/>.</summary>
    [Id(6)] public List<ChainTip> Recent { get; set; } = [];
    [Id(7)] public List<FanStanding> TopFans { get; set; } = [];
    [Id(8)] public List<FanStanding> ButkiLeaders { get; set; } = [];
    [Id(9)] public int BadgesMinted { get; set; }

    /// <summary>Everything journaled, by kind.</summary>
    [Id(10)] public Dictionary<string, RevenueTotal> Revenue { get; set; } = [];

    /// <summary>
    /// The creator's "tips received" notifications not yet handed to its inbox (see <see cref="NotificationOutbox"/>):
    /// one per delivery batch, queued in the write that removes the batch's tips from <see cref="Pending"/>.
    /// </summary>
    [Id(11)] public List<Notification> Notifications { get; set; } = [];
}

/// <summary>
/// Key: creator wallet. Appending and delivering are separate: <see cref="AppendAsync"/> only journals (one write) and
/// returns, and a timer that interleaves with calls delivers, so the follower never waits on a consumer. Each consumer
/// gets its payments in chain order (a failure holds back that consumer's later payments, nobody else's) and keeps its
/// own (round, offset) high-water mark, which makes this at-least-once delivery exactly-once in effect. Durable writes
/// go one at a time through <see cref="SaveAsync"/>, as the two paths interleave.
/// </summary>
[GrainType("ff.creator-payments")]
public sealed class CreatorPaymentsGrain(
    [PersistentState("creator-payments", StorageNames.Default)] IPersistentState<CreatorPaymentsState> state,
    IOptions<LoyaltyOptions> options,
    TimeProvider time,
    ILogger<CreatorPaymentsGrain> logger)
    : Grain, ICreatorPayments, IRemindable
{
    internal const int RecentCapacity = 20;

    /// <summary>The deepest any leaderboard route pages (the Butki leaderboard allows limit 200).</summary>
    internal const int RankingCapacity = 200;

    /// <summary>A consumer that has not answered by then counts as failed; its late answer is harmless (it dedupes).</summary>
    internal static readonly TimeSpan ConsumerTimeout = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan TickPeriod = TimeSpan.FromSeconds(1);
    private const string RedeliveryReminder = "redeliver";

    private static readonly Meter Meter = new("FanForge.Payments");
    private static readonly Counter<long> Journaled = Meter.CreateCounter<long>("fanforge.payments.journaled", description: "Payments appended to creator journals, by kind");
    private static readonly Counter<long> DeliveryFailures = Meter.CreateCounter<long>("fanforge.payments.delivery_failures", description: "Failed deliveries to a consumer (its payments are parked and retried), by kind");
    private static readonly UpDownCounter<long> ParkedConsumers = Meter.CreateUpDownCounter<long>("fanforge.payments.parked_consumers", description: "Consumers whose payments are parked after a failure");

    private readonly SemaphoreSlim writes = new(1, 1);

    /// <summary>
    /// With tracing on, the span each pending entry was journaled in, so its delivery continues that payment's trace.
    /// In memory only: after a reactivation a delivery starts a trace of its own.
    /// </summary>
    private readonly Dictionary<JournalEntry, ActivityContext> journaledIn = new(ReferenceEqualityComparer.Instance);
    private IGrainTimer? deliveryTimer;
    private bool reminderArmed;
    private DateTimeOffset lastAppendAt;
    private int parkedReported;
    private bool countsChanged;
    private CreatorPrices? prices;
    private int notifyFailures;
    private DateTimeOffset notifyRetryAt;

    private string Creator => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        ParkedConsumers.Add(state.State.Failures.Count);
        parkedReported = state.State.Failures.Count;
        reminderArmed = await this.GetReminder(RedeliveryReminder) is not null;
        deliveryTimer = this.RegisterGrainTimer(DeliverAsync, new GrainTimerCreationOptions(TimeSpan.Zero, TickPeriod) { Interleave = true });
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        ParkedConsumers.Add(-state.State.Failures.Count);
        if (countsChanged)
        {
            await SaveAsync();
        }
    }

    public async Task<int> AppendAsync(IReadOnlyList<ChainTip> payments)
    {
        if (payments.FirstOrDefault(p => p.Creator != Creator) is { } stray)
        {
            throw DomainException.Invalid(ErrorCodes.InvalidArgument, $"Payment {stray.TxId} is for creator {stray.Creator}, not {Creator}.");
        }

        var fresh = payments.Where(p => p.Position > state.State.HighWater).DistinctBy(p => p.Position).OrderBy(p => p.Position).ToList();
        if (fresh.Count == 0)
        {
            return 0;
        }

        // Armed before the write, so journaled payments are delivered even if this silo dies right after it.
        if (!reminderArmed)
        {
            await this.RegisterOrUpdateReminder(RedeliveryReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
            reminderArmed = true;
        }

        // Each payment at the prices of its own round: a price change applies only to payments confirmed after it.
        prices ??= new CreatorPrices(GrainFactory, Creator, options.Value.Defaults);
        await prices.ReadThroughAsync(fresh[^1].Position.Round);
        foreach (var payment in fresh)
        {
            var entry = PaymentRoutes.Route(payment, prices.At(payment.Position.Round));
            state.State.Pending.Add(entry);
            if (Activity.Current is { Recorded: true } journaling && entry.Consumer is not null)
            {
                journaledIn[entry] = journaling.Context;
            }

            var revenue = state.State.Revenue.TryGetValue(entry.Kind, out var total) ? total : state.State.Revenue[entry.Kind] = new RevenueTotal();
            revenue.Count++;
            revenue.MicroAlgo += payment.AmountMicroAlgo;
            if (entry.Kind == PaymentRoutes.Tip)
            {
                state.State.TipCount++;
                state.State.TipMicroAlgo += payment.AmountMicroAlgo;
                state.State.Recent.Insert(0, payment);
            }

            Journaled.Add(1, new KeyValuePair<string, object?>("kind", entry.Kind));
        }

        state.State.Recent.TrimTo(RecentCapacity);

        state.State.HighWater = fresh[^1].Position;
        await SaveAsync();
        lastAppendAt = time.GetUtcNow();
        deliveryTimer?.Change(TimeSpan.Zero, TickPeriod);
        return fresh.Count;
    }

    public Task<CreatorTipSummary> GetSummaryAsync() => Task.FromResult(new CreatorTipSummary(
        Creator,
        state.State.TipCount,
        state.State.TipMicroAlgo,
        state.State.UniqueFans,
        [.. state.State.Recent],
        state.State.HighWater,
        state.State.BadgesMinted,
        [.. PaymentRoutes.Kinds.Select(k => state.State.Revenue.TryGetValue(k, out var r) ? new RevenueLine(k, r.Count, r.MicroAlgo) : new RevenueLine(k, 0, 0))],
        [.. Parked()],
        state.State.Pending.Count));

    public Task<IReadOnlyList<FanStanding>> GetTopFansAsync(int limit) =>
        Task.FromResult<IReadOnlyList<FanStanding>>([.. state.State.TopFans.Take(limit)]);

    public Task<IReadOnlyList<FanStanding>> GetButkiLeadersAsync(int limit) =>
        Task.FromResult<IReadOnlyList<FanStanding>>([.. state.State.ButkiLeaders.Take(limit)]);

    /// <summary>
    /// A display count, so it is not written on its own: the next append or delivery writes it, or the next timer tick
    /// when nothing else does (a crash in between loses at most that second's badges from the creator's total).
    /// </summary>
    public Task BadgeMintedAsync(string fan, int badgeNumber)
    {
        state.State.BadgesMinted++;
        countsChanged = true;
        logger.LogDebug("Butki badge {Number} of {Fan} counted for {Creator}", badgeNumber, fan, Creator);
        return Task.CompletedTask;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        // Activation restarted the delivery timer; this only has to wake the grain, or retire the reminder when idle
        // (nothing to deliver and no notification left to hand over).
        if (state.State.Pending.Count == 0 && state.State.Notifications.Count == 0 && time.GetUtcNow() - lastAppendAt > TimeSpan.FromMinutes(1))
        {
            reminderArmed = false;
            return this.UnregisterReminderIfAnyAsync(RedeliveryReminder);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// One delivery pass: every consumer with due payments gets all of them, in chain order, at the same time as the
    /// others. Interleaves with calls: state changes happen between awaits, and entries are removed by identity.
    /// </summary>
    private async Task DeliverAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var due = state.State.Pending
            .Where(e => e.Consumer is not null && !(state.State.Failures.TryGetValue(e.Consumer, out var failure) && failure.RetryAt > now))
            .GroupBy(e => e.Consumer!)
            .ToList();
        if (due.Count == 0)
        {
            if (countsChanged)
            {
                await SaveAsync();
            }

            await NotifyAsync(now);
            return;
        }

        var outcomes = await Task.WhenAll(due.Select(g => DeliverToAsync(g.Key, [.. g])));
        var delivered = new HashSet<JournalEntry>(ReferenceEqualityComparer.Instance);
        var events = new List<GrainInterfaces.Live.LiveEvent>();
        var tips = new List<ChainTip>();
        foreach (var outcome in outcomes)
        {
            if (outcome.Error is { } error)
            {
                var attempts = state.State.Failures.TryGetValue(outcome.Consumer, out var previous) ? previous.Attempts + 1 : 1;
                var backoff = Backoff.Doubling(FirstRetry, MaxRetry, attempts);
                ParkedConsumers.Add(previous is null ? 1 : 0);
                state.State.Failures[outcome.Consumer] = new ConsumerFailure(attempts, Describe(error), now + backoff);
                DeliveryFailures.Add(1, new KeyValuePair<string, object?>("kind", outcome.Entries[0].Kind));
                logger.LogWarning(error, "Delivering {Count} payments of creator {Creator} to {Consumer} failed ({Attempts} in a row); parked, retrying in {Backoff}",
                    outcome.Entries.Count, Creator, outcome.Consumer, attempts, backoff);
                continue;
            }

            if (state.State.Failures.Remove(outcome.Consumer))
            {
                ParkedConsumers.Add(-1);
            }

            delivered.UnionWith(outcome.Entries);
            if (outcome.Pair is { } pair)
            {
                Rank(pair, outcome.Entries);
                events.AddRange(outcome.Entries.Select(e => LiveEvents.Tip(e.Payment, pair)));
                tips.AddRange(outcome.Entries.Select(e => e.Payment));
            }
        }

        // One notification for the whole batch, in the write that takes its tips out of the journal: stored once,
        // never for a tip twice, and never a write of its own.
        if (tips.Count > 0)
        {
            state.State.Notifications.Add(NotificationFactory.TipsReceived(Creator, tips, now));
        }

        state.State.Pending.RemoveAll(delivered.Contains);
        foreach (var entry in delivered)
        {
            journaledIn.Remove(entry);
        }

        await SaveAsync();
        if (state.State.Failures.Count != parkedReported)
        {
            parkedReported = state.State.Failures.Count;
            var first = Parked().FirstOrDefault();
            await GrainFactory.GetGrain<IPaymentHealth>(IPaymentHealth.Key).ReportAsync(new CreatorParked(Creator, parkedReported, first?.Consumer, first?.Reason));
        }

        if (events.Count > 0)
        {
            await GrainFactory.GetGrain<IGlobalLeaderboard>(IGlobalLeaderboard.Key).ReportAsync(
                new CreatorStanding(Creator, state.State.TipCount, state.State.TipMicroAlgo, state.State.UniqueFans));
            await LiveEvents.PublishAsync(GrainFactory, events, logger);
        }

        await NotifyAsync(now);
    }

    /// <summary>
    /// Hands the queued notifications to the creator's inbox. What it took is dropped here and stored gone with the
    /// next write (a redelivery after a crash is a no-op in the inbox); after a failure the next ticks wait a doubling
    /// back-off, so an inbox in trouble costs one call per back-off, not one per second.
    /// </summary>
    private async Task NotifyAsync(DateTimeOffset now)
    {
        if (state.State.Notifications.Count == 0 || now < notifyRetryAt)
        {
            return;
        }

        if (await NotificationOutbox.SendAsync(GrainFactory, state.State.Notifications, logger))
        {
            notifyFailures = 0;
            notifyRetryAt = default;
        }
        else
        {
            notifyRetryAt = now + Backoff.Doubling(FirstRetry, MaxRetry, ++notifyFailures);
        }
    }

    private sealed record Outcome(string Consumer, IReadOnlyList<JournalEntry> Entries, FanLoyaltySnapshot? Pair, Exception? Error);

    /// <summary>Hands one consumer its payments; a failure or a consumer that does not answer in time is an outcome, not a throw.</summary>
    private async Task<Outcome> DeliverToAsync(string consumer, IReadOnlyList<JournalEntry> entries)
    {
        using var span = StartDelivery(consumer, entries);
        var work = DeliverToConsumerAsync(entries);
        try
        {
            // WaitAsync drops its timer as soon as the consumer answers; a Task.Delay per delivery would leave one
            // live timer per consumer for the whole timeout, thousands of them under load.
            return new Outcome(consumer, entries, await work.WaitAsync(ConsumerTimeout), null);
        }
        catch (TimeoutException) when (!work.IsCompleted)
        {
            span?.SetStatus(ActivityStatusCode.Error, "timeout");
            return new Outcome(consumer, entries, null, new TimeoutException($"{consumer} did not answer within {ConsumerTimeout.TotalSeconds} s"));
        }
        catch (Exception e)
        {
            span?.SetStatus(ActivityStatusCode.Error, e.Message);
            return new Outcome(consumer, entries, null, e);
        }
    }

    /// <summary>
    /// With tracing on, a delivery's span continues the trace its first payment was journaled in (the processing
    /// trace the follower started) and links the others'; the consumer's work becomes its child through the grain call.
    /// </summary>
    private Activity? StartDelivery(string consumer, IReadOnlyList<JournalEntry> entries)
    {
        if (!PaymentTracing.Enabled)
        {
            return null;
        }

        var contexts = entries.Select(e => journaledIn.GetValueOrDefault(e)).Where(c => c != default).Distinct().ToList();
        var span = PaymentTracing.StartDetached("payments.deliver", contexts.FirstOrDefault());
        if (span is null)
        {
            return null;
        }

        foreach (var other in contexts.Skip(1))
        {
            span.AddLink(new ActivityLink(other));
        }

        span.SetTag(PaymentTracing.Creator, Creator);
        span.SetTag(PaymentTracing.Consumer, consumer);
        span.SetTag(PaymentTracing.Kind, entries[0].Kind);
        span.SetTag(PaymentTracing.Count, entries.Count);
        span.SetTxIds([.. entries.Select(e => e.Payment.TxId)]);
        return span;
    }

    private async Task<FanLoyaltySnapshot?> DeliverToConsumerAsync(IReadOnlyList<JournalEntry> entries)
    {
        var first = entries[0];
        if (first.Kind == PaymentRoutes.Tip)
        {
            // Priced here, at each tip's round, by the journal that already holds the creator's prices (it routed the
            // payments with them): a pair never asks the creator, which would cost a call per new pair. The pair takes
            // its tips as one batch and answers with its standing, for the rankings and live events.
            prices ??= new CreatorPrices(GrainFactory, Creator, options.Value.Defaults);
            await prices.ReadThroughAsync(entries.Max(e => e.Payment.Position.Round));
            var priced = entries
                .Select(e => new PricedTip(e.Payment, LoyaltyRules.CountsForButki(PaymentKind.Tip, e.Payment.AmountMicroAlgo, prices.At(e.Payment.Position.Round))))
                .ToList();
            return await GrainFactory.GetGrain<IFanLoyalty>(FanLoyaltyKey.For(Creator, first.Payment.Fan)).ApplyAsync(priced);
        }

        var payments = entries.Select(e => e.Payment).ToList();

        Func<ChainTip, Task> apply = first.Kind switch
        {
            PaymentRoutes.Membership => GrainFactory.GetGrain<IMembership>(FanLoyaltyKey.For(Creator, first.Payment.Fan)).ApplyPurchaseAsync,
            PaymentRoutes.Shawty => GrainFactory.GetGrain<IFanShawty>(first.Payment.Fan).ApplyPurchaseAsync,
            PaymentRoutes.Order => GrainFactory.GetGrain<IOrder>(LoyaltyRules.OrderId(first.Payment.Memo)!.Value).ApplyPaymentAsync,
            _ => throw new InvalidOperationException($"No consumer takes payments of kind {first.Kind}."),
        };
        foreach (var payment in payments)
        {
            await apply(payment); // one at a time: each owner applies its payments in chain order
        }

        return null;
    }

    /// <summary>The pair's standing after its tips: unique fans, top fans and Butki leaders, kept incrementally.</summary>
    private void Rank(FanLoyaltySnapshot pair, IReadOnlyList<JournalEntry> tips)
    {
        // Decided by the pair's first position, not by "was it new to the pair", so a redelivery after a crash
        // between the pair's write and ours still counts each fan exactly once.
        if (tips.Any(t => t.Payment.Position == pair.FirstPayment))
        {
            state.State.UniqueFans++;
        }

        var standing = FanStanding.Of(pair);
        TopList.Upsert(state.State.TopFans, standing, s => s.Fan, Rankings.ByVolume, RankingCapacity);
        if (standing.ButkiTipCount > 0)
        {
            TopList.Upsert(state.State.ButkiLeaders, standing, s => s.Fan, Rankings.ByBadges, RankingCapacity);
        }
    }

    private IEnumerable<ParkedPayment> Parked() => state.State.Failures.Select(f =>
    {
        var head = state.State.Pending.FirstOrDefault(e => e.Consumer == f.Key);
        return new ParkedPayment(head?.Payment.TxId ?? "", head?.Kind ?? "", f.Key, head?.Payment.Position ?? default, f.Value.Reason, f.Value.Attempts, f.Value.RetryAt);
    });

    private static string Describe(Exception error) => error switch
    {
        DomainException domain => $"{domain.Code}: {domain.Message}",
        _ => $"{error.GetType().Name}: {error.Message}",
    };

    /// <summary>One durable write at a time: appends and deliveries interleave, and the storage's ETag allows no overlap.</summary>
    private async Task SaveAsync()
    {
        await writes.WaitAsync();
        try
        {
            countsChanged = false;
            await state.WriteStateAsync();
        }
        finally
        {
            writes.Release();
        }
    }
}
