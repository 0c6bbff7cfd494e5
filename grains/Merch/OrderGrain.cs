using System.ComponentModel.DataAnnotations;
using System.Diagnostics.Metrics;
using FanForge.Grains.Algorand;
using FanForge.Grains.Algorand.Clients;
using FanForge.Grains.Chain;
using FanForge.Grains.Notifications;
using FanForge.GrainInterfaces.Creators;
using FanForge.GrainInterfaces.Errors;
using FanForge.GrainInterfaces.Loyalty;
using FanForge.GrainInterfaces.Merch;
using FanForge.GrainInterfaces.Notifications;
using FanForge.GrainInterfaces.Shawty;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FanForge.Grains.Merch;

/// <summary>Section <c>Merch</c>.</summary>
public sealed class MerchOptions
{
    public const string SectionName = "Merch";

    /// <summary>How long a placed order holds its stock and tokens waiting for payment.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan PaymentWindow { get; set; } = TimeSpan.FromMinutes(30);
}

[GenerateSerializer, Alias("ff.OrderState")]
public sealed class OrderState
{
    [Id(0)] public PlaceOrder? Request { get; set; }
    [Id(1)] public OrderStatus Status { get; set; }
    [Id(2)] public List<OrderLine> Lines { get; set; } = [];
    [Id(3)] public long Subtotal { get; set; }
    [Id(4)] public long Discount { get; set; }
    [Id(5)] public long Total { get; set; }
    [Id(6)] public long? AppliedRuleId { get; set; }
    [Id(7)] public List<ulong> ShawtyTokens { get; set; } = [];
    [Id(8)] public DateTimeOffset CreatedAt { get; set; }
    [Id(9)] public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>Stock reserved and tokens locked: placing finished.</summary>
    [Id(10)] public bool Held { get; set; }

    [Id(11)] public long Paid { get; set; }
    [Id(12)] public string? TxId { get; set; }
    [Id(13)] public DateTimeOffset? PaidAt { get; set; }

    /// <summary>The last applied payment: anything at or below it was applied before.</summary>
    [Id(14)] public ChainPosition HighWater { get; set; }

    /// <summary>What follows the status (sell or release stock, burn or unlock tokens, count the discount) is done.</summary>
    [Id(15)] public bool Settled { get; set; }

    [Id(16)] public PaymentMethod PaidBy { get; set; }

    /// <summary>The card checkout terms, fixed by the first checkout request, and its session once created.</summary>
    [Id(17)] public CardCheckout? Checkout { get; set; }

    [Id(18)] public string? PaymentIntentId { get; set; }

    [Id(19)] public long CardPaidMinor { get; set; }

    [Id(20)] public long CardRefundedMinor { get; set; }

    [Id(21)] public string? LastCardFailure { get; set; }

    /// <summary>A card event that could not be applied as it came (wrong amount, paid twice, paid after expiry): for a person to settle.</summary>
    [Id(22)] public string? CardIssue { get; set; }

    /// <summary>The ids of the last card events applied (bounded; the status guards cover anything older).</summary>
    [Id(23)] public List<string> CardEvents { get; set; } = [];

    /// <summary>The creator's sales counted this order as paid / as refunded.</summary>
    [Id(24)] public bool SalesPaid { get; set; }

    [Id(25)] public bool SalesRefunded { get; set; }

    /// <summary>
    /// Notifications of its transitions (paid, expired, refunded) not yet handed to the inboxes, queued in the write
    /// that records the transition (see <see cref="NotificationOutbox"/>); the follow-up sends them.
    /// </summary>
    [Id(26)] public List<Notification> Notifications { get; set; } = [];
}

/// <summary>
/// Key: order id. Everything outside the order (stock, tokens, discount uses) is changed by idempotent calls keyed by
/// this order, after the order's own write, and redone by its reminder until done, so a crash never leaks a
/// reservation or a lock and never sells twice.
/// </summary>
[GrainType("ff.order")]
public sealed class OrderGrain(
    [PersistentState("order", StorageNames.Default)] IPersistentState<OrderState> state,
    IOptions<MerchOptions> options,
    IOptions<ReminderOptions> reminderOptions,
    IAlgodClient algod,
    BusinessClock time,
    ILogger<OrderGrain> logger) : Grain, IOrder, IRemindable
{
    /// <summary>How many card event ids an order remembers; each order sees a handful of events in its life.</summary>
    public const int RememberedCardEvents = 64;

    public const string MeterName = "FanForge.Merch";
    private static readonly Meter Meter = new(MeterName);

    /// <summary>
    /// Orders entering each state, counted once the state is written: placed (<c>pending_payment</c>), <c>paid</c>,
    /// <c>expired</c>, <c>refunded</c>. A counter of transitions, not a census: the orders in a state are the ones that
    /// entered it minus those that left.
    /// </summary>
    private static readonly Counter<long> Transitions = Meter.CreateCounter<long>("fanforge.merch.orders", description: "Orders entering each state, by state");
    private const string FollowUpReminder = "order";
    private ReminderSlot? followUp;
    private IGrainTimer? finish;

    private long Id => this.GetPrimaryKeyLong();

    private string LockReason => $"Discount for merch order {Id}";

    public async Task<OrderView> PlaceAsync(PlaceOrder request)
    {
        if (state.State.Request is { } placed)
        {
            if (!SameRequest(placed, request))
            {
                throw DomainException.Conflict(OrderErrors.OrderConflict, $"Order {Id} was placed with a different cart.");
            }

            await FollowUpAsync(); // finishes a placing that a crash interrupted
            return View();
        }

        var quote = MerchQuote.Compute(await QuoteInputs.GatherAsync(GrainFactory, request.Creator, request.Fan, request.Cart, request.ShawtyAssetIds));
        var now = time.GetUtcNow();
        state.State = new OrderState
        {
            Request = request,
            Status = OrderStatus.PendingPayment,
            Lines = [.. quote.Lines.Select(l => new OrderLine(l.ProductId, l.Slug, l.Name, l.Quantity, l.UnitPriceMicroAlgo))],
            Subtotal = quote.SubtotalMicroAlgo,
            Discount = quote.DiscountMicroAlgo,
            Total = quote.TotalMicroAlgo,
            AppliedRuleId = quote.AppliedRuleId,
            ShawtyTokens = [.. quote.ShawtyTokensUsed],
            CreatedAt = now,
            ExpiresAt = now + options.Value.PaymentWindow,
        };
        // Recorded (and the reminder armed) before anything is held, so whatever a crash leaves held is released.
        await ArmAsync(options.Value.PaymentWindow);
        await state.WriteStateAsync();
        var held = new List<Func<Task>>();
        try
        {
            await HoldAsync(held);
        }
        catch (DomainException)
        {
            // Not placeable after all (stock went, a token was spent): give back what this attempt held and forget the
            // order, so a retry under the same id starts clean (releasing what was never held would bar it for good).
            foreach (var undo in held)
            {
                await undo();
            }

            await state.ClearStateAsync();
            await UnarmAsync();
            throw;
        }

        state.State.Held = true;
        await state.WriteStateAsync();
        CountEntered(OrderStatus.PendingPayment);
        return View();
    }

    public Task<OrderView?> GetAsync() => Task.FromResult(state.State.Request is null ? null : View());

    public async Task<OrderView?> ApplyPaymentAsync(ChainTip payment)
    {
        if (state.State.Request is not { } placed)
        {
            return null; // no such order: the payment stays a plain payment to the creator
        }

        if (payment.Position <= state.State.HighWater || payment.Fan != placed.Fan || payment.Creator != placed.Creator)
        {
            return View();
        }

        var before = state.State.Status;
        state.State.HighWater = payment.Position;
        state.State.Paid += payment.AmountMicroAlgo;
        state.State.TxId = payment.TxId;
        if (state.State.Status == OrderStatus.PendingPayment && state.State.Paid >= state.State.Total)
        {
            MarkPaid(PaymentMethod.Chain, payment.ConfirmedAt);
        }

        QueueNotifications(before);
        await state.WriteStateAsync();
        CountTransition(before);
        await FollowUpAsync();
        return View();
    }

    public async Task<IReadOnlyList<byte[]>> BuildPaymentAsync()
    {
        var placed = state.State.Request ?? throw DomainException.NotFound("Order", Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var contract = (await GrainFactory.GetGrain<ICreator>(placed.Creator).GetProfileAsync())?.Contract
            ?? throw DomainException.Conflict("creator_has_no_contract", "The creator has no active TipProxy contract to pay.");
        var chain = await algod.GetTransactionParamsAsync();
        var fan = AlgorandAddress.Parse(placed.Fan);
        var pay = (PlatformTransactions.FromParams(chain, TransactionType.Payment, fan) with
        {
            Receiver = AlgorandAddress.Parse(contract.AppAddress),
            Amount = (ulong)state.State.Total,
        }).WithFlatFee(chain);
        var call = PlatformTransactions.FromParams(chain, TransactionType.ApplicationCall, fan) with
        {
            ApplicationId = contract.AppId,
            ApplicationArgs = ["tip"u8.ToArray(), System.Text.Encoding.UTF8.GetBytes(View().Memo)],
            Fee = TipProxy.AppCallFee,
        };
        return [.. TransactionGroup.AssignGroup([pay, call]).Select(t => t.Encode())];
    }

    public async Task<CardCheckout> StartCardCheckoutAsync(long amountMinor, string currency, TimeSpan minimumLifetime)
    {
        _ = state.State.Request ?? throw DomainException.NotFound("Order", Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (state.State.Status != OrderStatus.PendingPayment)
        {
            throw DomainException.Conflict(OrderErrors.OrderNotPayable, $"Order {Id} is {state.State.Status}, not pending payment.", new { status = state.State.Status.ToString() });
        }

        if (state.State.Checkout is { } started)
        {
            return started;
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amountMinor);
        var now = time.GetUtcNow();
        if (state.State.ExpiresAt < now + minimumLifetime)
        {
            // The provider's shortest session would outlive the order: hold the order as long as the session instead,
            // so a card payment made in the session always finds the order pending.
            state.State.ExpiresAt = WholeSeconds(now + minimumLifetime);
            await ArmAsync(state.State.ExpiresAt - now);
        }

        // The provider counts in whole seconds: rounded down, the session never outlives the order.
        state.State.Checkout = new CardCheckout(amountMinor, currency, WholeSeconds(state.State.ExpiresAt), null, null);
        await state.WriteStateAsync();
        return state.State.Checkout;
    }

    public async Task<CardCheckout> RecordCheckoutSessionAsync(string sessionId, string url)
    {
        var checkout = state.State.Checkout
            ?? throw DomainException.Conflict(OrderErrors.OrderNotPayable, $"Order {Id} has no card checkout to record a session for.");
        if (checkout.SessionId is null)
        {
            state.State.Checkout = checkout with { SessionId = sessionId, Url = url };
            await state.WriteStateAsync();
        }

        return state.State.Checkout;
    }

    public async Task<CardEventResult> ApplyCardEventAsync(CardEvent cardEvent)
    {
        if (state.State.Request is null)
        {
            return new CardEventResult(CardEventOutcome.UnknownOrder, null);
        }

        if (state.State.CardEvents.Contains(cardEvent.EventId))
        {
            return new CardEventResult(CardEventOutcome.Duplicate, View());
        }

        var before = state.State.Status;
        var outcome = cardEvent.Kind switch
        {
            CardEventKind.CheckoutCompleted => CardPaid(cardEvent),
            CardEventKind.CheckoutExpired => CardEventOutcome.Ignored, // the order expires by its own reminder (its window covers the session)
            CardEventKind.PaymentFailed => CardFailed(cardEvent),
            CardEventKind.Refunded => CardRefunded(cardEvent),
            _ => CardEventOutcome.Ignored,
        };

        // The event id is written with the change it made, in one write: applied once, whatever is redelivered.
        state.State.CardEvents.AddKeepingLatest(cardEvent.EventId, RememberedCardEvents);
        QueueNotifications(before);

        await state.WriteStateAsync();
        CountTransition(before);
        await FollowUpAsync();
        return new CardEventResult(outcome, View());
    }

    private CardEventOutcome CardPaid(CardEvent paid)
    {
        var s = state.State;
        s.PaymentIntentId ??= paid.PaymentIntentId;
        switch (s.Status)
        {
            case OrderStatus.PendingPayment:
                s.CardPaidMinor = paid.AmountMinor;
                if (s.Checkout is not { } checkout
                    || paid.AmountMinor != checkout.AmountMinor
                    || !string.Equals(paid.Currency, checkout.Currency, StringComparison.OrdinalIgnoreCase)
                    || (checkout.SessionId is { } session && paid.SessionId != session))
                {
                    s.CardIssue = $"amount_mismatch: session {paid.SessionId} paid {paid.AmountMinor} {paid.Currency}, the checkout asked "
                        + (s.Checkout is { } c ? $"{c.AmountMinor} {c.Currency} (session {c.SessionId})" : "nothing");
                    return CardEventOutcome.Recorded;
                }

                // The session closes no later than the order's window, so this payment was made in time even if the
                // event arrives after it: the same Paid transition as a chain payment, then the same follow-up.
                MarkPaid(PaymentMethod.Card, paid.OccurredAt);
                s.PaymentIntentId = paid.PaymentIntentId;
                return CardEventOutcome.Applied;
            case OrderStatus.Paid when s.PaidBy == PaymentMethod.Card && s.PaymentIntentId == paid.PaymentIntentId:
                return CardEventOutcome.Ignored; // another event saying the same payment
            case OrderStatus.Refunded:
                return CardEventOutcome.Ignored; // the refund came first: never paid again
            default:
                s.CardPaidMinor += paid.AmountMinor;
                s.CardIssue = $"card_payment_not_applied: {paid.AmountMinor} {paid.Currency} (intent {paid.PaymentIntentId}) for an order that is {s.Status}"
                    + (s.PaidBy == PaymentMethod.Chain ? " (paid on chain)" : "") + "; refund it";
                return CardEventOutcome.Recorded;
        }
    }

    private CardEventOutcome CardFailed(CardEvent failed)
    {
        state.State.LastCardFailure = failed.FailureReason ?? "payment_failed";
        state.State.PaymentIntentId ??= failed.PaymentIntentId;
        return CardEventOutcome.Recorded;
    }

    private CardEventOutcome CardRefunded(CardEvent refund)
    {
        var s = state.State;
        s.CardRefundedMinor = Math.Max(s.CardRefundedMinor, refund.AmountMinor);
        s.PaymentIntentId ??= refund.PaymentIntentId;
        if (!refund.FullRefund)
        {
            return CardEventOutcome.Recorded; // a partial refund leaves the order paid
        }

        switch (s.Status)
        {
            case OrderStatus.PendingPayment:
            case OrderStatus.Paid when s.PaidBy == PaymentMethod.Card:
                // Pending: the refund overtook the completion, which will then find the order Refunded.
                s.Status = OrderStatus.Refunded;
                return CardEventOutcome.Applied;
            case OrderStatus.Paid:
                s.CardIssue = $"card_refund_on_chain_paid_order: {refund.AmountMinor} {refund.Currency} refunded; the chain payment stands";
                return CardEventOutcome.Recorded;
            default:
                return CardEventOutcome.Ignored;
        }
    }

    public async Task<OrderView> CancelAsync(string fan)
    {
        if (state.State.Request is not { } placed || placed.Fan != fan)
        {
            // Another fan's order reads as none, so ids cannot be probed for other fans' orders.
            throw DomainException.NotFound("Order", Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        switch (state.State.Status)
        {
            case OrderStatus.Cancelled:
                await FollowUpAsync(); // finishes a release a crash interrupted
                return View();
            case OrderStatus.PendingPayment:
                state.State.Status = OrderStatus.Cancelled;
                await state.WriteStateAsync();
                await FollowUpAsync();
                return View();
            default:
                throw DomainException.Conflict(
                    OrderErrors.OrderNotCancellable, $"Order {Id} is {state.State.Status}; only an order pending payment can be cancelled.",
                    new { status = state.State.Status.ToString() });
        }
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => FollowUpAsync();

    /// <summary>Brings stock, tokens and discount uses in line with the order's status; then the reminder goes.</summary>
    private async Task FollowUpAsync()
    {
        if (state.State.Request is null)
        {
            await UnarmAsync();
            return;
        }

        if (state.State.Status == OrderStatus.PendingPayment)
        {
            if (time.GetUtcNow() < state.State.ExpiresAt)
            {
                if (!state.State.Held)
                {
                    await HoldAsync([]);
                    state.State.Held = true;
                    await state.WriteStateAsync();
                }

                return;
            }

            state.State.Status = OrderStatus.Expired;
            QueueNotifications(OrderStatus.PendingPayment);
            await state.WriteStateAsync();
            CountEntered(OrderStatus.Expired);
        }

        // Settling stock and tokens and reporting to the creator's totals are each idempotent per order (the products,
        // tokens and sales grain ignore an order they have seen), so both are done before one write records them:
        // a crash in between only repeats them.
        var followedUp = false;
        if (!state.State.Settled)
        {
            if (state.State.Status == OrderStatus.Paid)
            {
                await SellAsync();
            }
            else
            {
                await ReleaseAsync();
            }

            state.State.Settled = true;
            followedUp = true;
        }

        var sales = GrainFactory.GetGrain<ICreatorSales>(state.State.Request.Creator);
        if (state.State.PaidBy != PaymentMethod.None && !state.State.SalesPaid)
        {
            await sales.RecordPaidAsync(Id, state.State.Total);
            state.State.SalesPaid = true;
            followedUp = true;
        }

        if (state.State.Status == OrderStatus.Refunded && state.State.SalesPaid && !state.State.SalesRefunded)
        {
            await sales.RecordRefundedAsync(Id, state.State.Total);
            state.State.SalesRefunded = true;
            followedUp = true;
        }

        if (followedUp)
        {
            await state.WriteStateAsync();
        }

        FinishAfterThisTurn();
    }

    /// <summary>Queues what the order's move from <paramref name="before"/> to its status tells its fan and creator.</summary>
    private void QueueNotifications(OrderStatus before)
    {
        var s = state.State;
        if (s.Status == before || s.Request is not { } placed)
        {
            return;
        }

        var at = time.GetUtcNow();
        switch (s.Status)
        {
            case OrderStatus.Paid:
                s.Notifications.AddRange(NotificationFactory.OrderPaid(Id, placed.Creator, placed.Fan, s.Total, s.PaidBy == PaymentMethod.Chain ? s.TxId : null, at));
                break;
            case OrderStatus.Expired:
                s.Notifications.Add(NotificationFactory.OrderExpired(Id, placed.Creator, placed.Fan, s.Total, at));
                break;
            case OrderStatus.Refunded:
                s.Notifications.Add(NotificationFactory.OrderRefunded(Id, placed.Creator, placed.Fan, s.Total, at));
                break;
        }
    }

    /// <summary>
    /// The order is settled; telling its fan and creator and removing its reminder are not the payment's work, so they
    /// run in a turn of their own right after this one instead of before the caller's reply (two inbox calls and a
    /// reminder operation, each a database round trip, would triple a payment's acknowledgement time). The notifications
    /// are stored queued and the reminder stays armed until the inboxes took them all: if a send fails, or the
    /// activation goes first, the reminder fires later and this follow-up sends them then; the inbox keeps each once.
    /// </summary>
    private void FinishAfterThisTurn()
    {
        finish?.Dispose();
        finish = this.RegisterGrainTimer(
            async () =>
            {
                finish?.Dispose();
                finish = null;
                if (await NotificationOutbox.SendAsync(GrainFactory, state.State.Notifications, logger))
                {
                    await UnarmAsync();
                }
                else
                {
                    await ArmAsync(reminderOptions.Value.MinimumReminderPeriod);
                }
            },
            new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan));
    }

    /// <summary>Reserves the stock and locks the tokens (each idempotent per order); <paramref name="held"/> collects how to undo each.</summary>
    private async Task HoldAsync(List<Func<Task>> held)
    {
        var fan = state.State.Request!.Fan;
        foreach (var line in state.State.Lines.GroupBy(l => l.ProductId))
        {
            var product = GrainFactory.GetGrain<IProduct>(line.Key);
            var reservation = await product.ReserveAsync(Id, line.Sum(l => l.Quantity));
            if (reservation.Status != ReservationStatus.Reserved)
            {
                // Only after this order was released or sold there: nothing can be held for it any more.
                throw DomainException.Conflict(OrderErrors.OrderConflict, $"Order {Id} can no longer hold stock ({reservation.Status}).");
            }

            held.Add(() => product.ReleaseAsync(Id));
        }

        foreach (var id in state.State.ShawtyTokens)
        {
            var token = GrainFactory.GetGrain<IShawtyToken>((long)id);
            await token.LockAsync(fan, LockReason);
            held.Add(() => token.ReleaseLockAsync(fan, LockReason));
        }
    }

    private async Task SellAsync()
    {
        var fan = state.State.Request!.Fan;
        await Task.WhenAll(state.State.Lines.Select(l => l.ProductId).Distinct().Select(p => GrainFactory.GetGrain<IProduct>(p).CommitAsync(Id)));
        await Task.WhenAll(state.State.ShawtyTokens.Select(t => GrainFactory.GetGrain<IShawtyToken>((long)t).SettleLockAsync(fan, LockReason)));
        if (state.State.AppliedRuleId is { } rule)
        {
            await GrainFactory.GetGrain<IDiscountUsage>(FanLoyaltyKey.For(state.State.Request.Creator, fan)).RecordAsync(Id, rule);
        }
    }

    private async Task ReleaseAsync()
    {
        var fan = state.State.Request!.Fan;
        await Task.WhenAll(state.State.Lines.Select(l => l.ProductId).Distinct().Select(p => GrainFactory.GetGrain<IProduct>(p).ReleaseAsync(Id)));
        foreach (var token in state.State.ShawtyTokens)
        {
            try
            {
                await GrainFactory.GetGrain<IShawtyToken>((long)token).ReleaseLockAsync(fan, LockReason);
            }
            catch (DomainException e) when (e.Code == ShawtyErrors.NotLockedForThis)
            {
                // Never locked for this order (placing failed before it): nothing to give back.
            }
        }
    }

    private ReminderSlot FollowUp => followUp ??= new(this, FollowUpReminder);

    private Task ArmAsync(TimeSpan due) => FollowUp.ArmAsync(due, reminderOptions.Value.MinimumReminderPeriod);

    private Task UnarmAsync() => FollowUp.DisarmAsync();

    /// <summary>The one Paid transition, whichever way the money came; the follow-up does the rest.</summary>
    private void MarkPaid(PaymentMethod method, DateTimeOffset at)
    {
        state.State.Status = OrderStatus.Paid;
        state.State.PaidBy = method;
        state.State.PaidAt = at;
    }

    private void CountTransition(OrderStatus before)
    {
        if (state.State.Status != before)
        {
            CountEntered(state.State.Status);
        }
    }

    private static void CountEntered(OrderStatus status) => Transitions.Add(1, new KeyValuePair<string, object?>("state", status switch
    {
        OrderStatus.PendingPayment => "pending_payment",
        OrderStatus.Paid => "paid",
        OrderStatus.Expired => "expired",
        OrderStatus.Refunded => "refunded",
        _ => "unknown",
    }));

    private static DateTimeOffset WholeSeconds(DateTimeOffset at) => DateTimeOffset.FromUnixTimeSeconds(at.ToUnixTimeSeconds());

    private static bool SameRequest(PlaceOrder a, PlaceOrder b) =>
        a.Creator == b.Creator && a.Fan == b.Fan && a.Cart.SequenceEqual(b.Cart) && a.ShawtyAssetIds.SequenceEqual(b.ShawtyAssetIds);

    private OrderView View() => new(
        Id, state.State.Request!.Creator, state.State.Request.Fan, state.State.Status, state.State.Lines, state.State.Subtotal, state.State.Discount,
        state.State.Total, state.State.AppliedRuleId, state.State.ShawtyTokens, state.State.Paid, state.State.TxId, state.State.CreatedAt,
        state.State.ExpiresAt, state.State.PaidAt, state.State.PaidBy, CardView());

    private CardPaymentView? CardView()
    {
        var s = state.State;
        return s.Checkout is null && s.PaymentIntentId is null && s.CardPaidMinor == 0 && s.CardRefundedMinor == 0 && s.LastCardFailure is null && s.CardIssue is null
            ? null
            : new CardPaymentView(s.Checkout, s.PaymentIntentId, s.CardPaidMinor, s.CardRefundedMinor, s.LastCardFailure, s.CardIssue);
    }
}
