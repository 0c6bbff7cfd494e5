using FanForge.Grains.Creators;
using FanForge.Grains.Live;
using FanForge.Grains.Loyalty;
using FanForge.Grains.Notifications;
using FanForge.GrainInterfaces.Creators;
using FanForge.GrainInterfaces.Errors;
using FanForge.GrainInterfaces.Loyalty;
using FanForge.GrainInterfaces.Memberships;
using FanForge.GrainInterfaces.Merch;
using FanForge.GrainInterfaces.Nfts;
using FanForge.GrainInterfaces.Notifications;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FanForge.Grains.Memberships;

[GenerateSerializer, Alias("ff.MembershipState")]
public sealed class MembershipState
{
    /// <summary>The last applied purchase: anything at or below it was applied before.</summary>
    [Id(0)] public ChainPosition HighWater { get; set; }
    [Id(1)] public DateTimeOffset? PurchasedAt { get; set; }
    [Id(2)] public DateTimeOffset? ExpiresAt { get; set; }
    [Id(3)] public int Purchases { get; set; }
    [Id(4)] public long LastPaidMicroAlgo { get; set; }
    [Id(5)] public long TotalPaidMicroAlgo { get; set; }
    [Id(6)] public ulong? AssetId { get; set; }

    /// <summary>Active spells so far: a purchase after a lapse starts a new one.</summary>
    [Id(7)] public int Term { get; set; }

    /// <summary>Whether the creator's member count includes this membership (what it was last told).</summary>
    [Id(8)] public bool Counted { get; set; }

    /// <summary>When the latest expiry was booked (count, event): how late after the expiry the platform noticed.</summary>
    [Id(9)] public DateTimeOffset? ExpiryBookedAt { get; set; }

    /// <summary>Card checkouts, oldest first, at most <see cref="IMembership.RememberedCheckouts"/>.</summary>
    [Id(10)] public List<MembershipCheckout> Checkouts { get; set; } = [];

    /// <summary>When the fan is to be told the membership is about to end; cleared once told (or once it ended).</summary>
    [Id(11)] public DateTimeOffset? WarnAt { get; set; }

    /// <summary>Notifications not yet handed to the inboxes (see <see cref="NotificationOutbox"/>); the reminder stays while any wait.</summary>
    [Id(12)] public List<Notification> Notifications { get; set; } = [];
}

/// <summary>
/// Key <c>{creator}/{fan}</c>. Active-ness is computed from the clock on every read; one reminder does everything
/// that follows a change (mint the Bauni NFT, tell the creator's count, mark the expiry), so a crash at any point is
/// finished by the next tick, after a restart too.
/// </summary>
[GrainType("ff.membership")]
public sealed class MembershipGrain(
    [PersistentState("membership", StorageNames.Default)] IPersistentState<MembershipState> state,
    IOptions<LoyaltyOptions> options,
    IOptions<ReminderOptions> reminderOptions,
    BusinessClock time,
    IFanCreatorIndex fanIndex,
    ILogger<MembershipGrain> logger) : Grain, IMembership, IRemindable
{
    private const string FollowUpReminder = "membership";
    private ReminderSlot? followUp;

    /// <summary>How soon unfinished work (mint, count) is retried: the cluster's shortest reminder period.</summary>
    private readonly TimeSpan retryPeriod = reminderOptions.Value.MinimumReminderPeriod;

    private string creator = "";
    private string fan = "";
    private CreatorPrices prices = null!;

    /// <summary>The creator's prices as last read, for the view: what one purchase costs and lasts.</summary>
    private CreatorPricing shownPricing = options.Value.Defaults;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (creator, fan) = FanLoyaltyKey.Parse(this.GetPrimaryKeyString());
        prices = new CreatorPrices(GrainFactory, creator, options.Value.Defaults);
        return Task.CompletedTask;
    }

    public async Task<MembershipView> ApplyPurchaseAsync(ChainTip payment)
    {
        if (payment.Position <= state.State.HighWater)
        {
            await ListWithFanAsync(); // repairs a crash between the write below and this call
            return View();
        }

        // The validity in force in the payment's round: a price change applies only to payments confirmed after it.
        var pricing = await prices.AtAsync(payment.Position.Round);
        state.State.HighWater = payment.Position;
        return await PurchaseAsync(payment.ConfirmedAt, payment.AmountMicroAlgo, pricing.MembershipValidity, payment.TxId);
    }

    public async Task<MembershipCheckout> StartCardCheckoutAsync(string key, MembershipCheckoutTerms terms)
    {
        if (state.State.Checkouts.Find(c => c.Key == key) is { } started)
        {
            return started;
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(terms.AmountMinor);
        var checkout = new MembershipCheckout(key, terms, time.GetUtcNow());
        state.State.Checkouts.AddKeepingLatest(checkout, IMembership.RememberedCheckouts);
        await state.WriteStateAsync();
        return checkout;
    }

    public async Task<MembershipCheckout> RecordCheckoutSessionAsync(string key, string sessionId, string url)
    {
        var index = state.State.Checkouts.FindIndex(c => c.Key == key);
        if (index < 0)
        {
            throw DomainException.NotFound("Membership checkout", key);
        }

        if (state.State.Checkouts[index].SessionId is null)
        {
            state.State.Checkouts[index] = state.State.Checkouts[index] with { SessionId = sessionId, Url = url };
            await state.WriteStateAsync();
        }

        return state.State.Checkouts[index];
    }

    public async Task<MembershipCardResult> ApplyCardPurchaseAsync(MembershipCardPayment payment)
    {
        var index = state.State.Checkouts.FindIndex(c => c.Key == payment.CheckoutKey);
        if (index < 0)
        {
            logger.LogWarning("Card payment {EventId} names membership checkout {Key} of {Creator}/{Fan}, which is not kept; ignored",
                payment.EventId, payment.CheckoutKey, creator, fan);
            return new MembershipCardResult(CardEventOutcome.Ignored, View());
        }

        var checkout = state.State.Checkouts[index];
        if (checkout.PaidAt is not null)
        {
            // One purchase per checkout: a redelivered event, or another event saying the same payment.
            await ListWithFanAsync();
            return new MembershipCardResult(CardEventOutcome.Duplicate, View());
        }

        if (payment.AmountMinor != checkout.Terms.AmountMinor
            || !string.Equals(payment.Currency, checkout.Terms.Currency, StringComparison.OrdinalIgnoreCase)
            || (checkout.SessionId is { } session && payment.SessionId != session))
        {
            state.State.Checkouts[index] = checkout with
            {
                Issue = $"amount_mismatch: session {payment.SessionId} paid {payment.AmountMinor} {payment.Currency}, the checkout asked "
                    + $"{checkout.Terms.AmountMinor} {checkout.Terms.Currency} (session {checkout.SessionId}); refund it",
            };
            await state.WriteStateAsync();
            return new MembershipCardResult(CardEventOutcome.Recorded, View());
        }

        // Paid now, on the business clock (the clock memberships expire on), at the terms the fan saw at checkout;
        // the checkout is marked paid in the same write as the purchase, so it buys once.
        var now = time.GetUtcNow();
        state.State.Checkouts[index] = checkout with { PaidAt = now, SessionId = checkout.SessionId ?? payment.SessionId };
        var view = await PurchaseAsync(now, checkout.Terms.PriceMicroAlgo, checkout.Terms.Validity, null);
        return new MembershipCardResult(CardEventOutcome.Applied, view);
    }

    /// <summary>
    /// The one purchase path, however it was paid: extends from the later of the payment and the expiry, counts the
    /// purchase, then mints and books as the follow-up does. The caller has marked the payment applied in the state.
    /// </summary>
    private async Task<MembershipView> PurchaseAsync(DateTimeOffset paidAt, long paidMicroAlgo, TimeSpan validity, string? txId)
    {
        var renewal = MembershipRules.IsActive(state.State.ExpiresAt, paidAt);
        state.State.PurchasedAt ??= paidAt;
        state.State.ExpiresAt = MembershipRules.Extend(state.State.ExpiresAt, paidAt, validity);
        state.State.Purchases++;
        state.State.LastPaidMicroAlgo = paidMicroAlgo;
        state.State.TotalPaidMicroAlgo += paidMicroAlgo;
        state.State.Term += renewal && state.State.Term > 0 ? 0 : 1;
        state.State.WarnAt = MembershipRules.ExpiryWarningAt(state.State.ExpiresAt.Value, paidAt);
        state.State.Notifications.AddRange(NotificationFactory.MembershipPurchased(
            creator, fan, state.State.Purchases, state.State.Term, renewal, state.State.ExpiresAt.Value, txId, paidAt));

        // Armed before the write: if this activation dies after it, the tick still mints and counts.
        await FollowUp.ArmAsync(retryPeriod, retryPeriod);
        await state.WriteStateAsync();
        await ListWithFanAsync();
        await LiveEvents.PublishAsync(GrainFactory, [LiveEvents.Membership(View(), renewal ? "renewed" : "active", txId)], logger);
        await FollowUpAsync();
        return View();
    }

    public async Task<MembershipView> GetAsync()
    {
        shownPricing = await prices.CurrentAsync();
        var now = time.GetUtcNow();
        if ((state.State.Counted && !MembershipRules.IsActive(state.State.ExpiresAt, now))
            || MembershipRules.ExpiryWarningDue(state.State.WarnAt, state.State.ExpiresAt, now))
        {
            // Expired, or due its warning, before its reminder ran (a late tick, or a moved development clock): do it now.
            await FollowUpAsync();
        }

        return View();
    }

    public async Task NftMintedAsync(ulong assetId)
    {
        if (state.State.AssetId == assetId)
        {
            return;
        }

        state.State.AssetId = assetId;
        await state.WriteStateAsync();
        await FollowUpAsync();
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => FollowUpAsync();

    /// <summary>Brings everything outside this grain in line with its state, then arms the next tick or none.</summary>
    private async Task FollowUpAsync()
    {
        if (state.State.Purchases == 0)
        {
            await UnregisterAsync();
            return;
        }

        if (state.State.AssetId is null)
        {
            var mint = MintRequest.Bauni(creator, fan);
            await GrainFactory.GetGrain<INftMint>(mint.Key).StartAsync(mint);
        }

        var now = time.GetUtcNow();
        var active = MembershipRules.IsActive(state.State.ExpiresAt, now);
        var changed = false;
        if (MembershipRules.ExpiryWarningDue(state.State.WarnAt, state.State.ExpiresAt, now))
        {
            state.State.Notifications.Add(NotificationFactory.MembershipExpiring(creator, fan, state.State.Purchases, state.State.ExpiresAt!.Value, now));
            state.State.WarnAt = null;
            changed = true;
        }

        if (active != state.State.Counted)
        {
            await GrainFactory.GetGrain<ICreatorMembers>(creator).ChangedAsync(fan, state.State.Term, active);
            state.State.Counted = active;
            state.State.ExpiryBookedAt = active ? null : now;
            if (!active)
            {
                state.State.WarnAt = null; // a warning not given in time is moot now
                state.State.Notifications.Add(NotificationFactory.MembershipExpired(creator, fan, state.State.Purchases, state.State.ExpiresAt!.Value, now));
            }

            changed = true;
        }

        // Sent before the write that records the change, so that write also stores them gone (or, failed, still
        // queued): if it fails, the next tick decides the same change again, under the same ids, which the inbox
        // keeps once. A send without a write here (a purchase's) is stored gone with the next write.
        var notified = await NotificationOutbox.SendAsync(GrainFactory, state.State.Notifications, logger);
        if (changed)
        {
            await state.WriteStateAsync();
            if (!active)
            {
                await LiveEvents.PublishAsync(GrainFactory, [LiveEvents.Membership(View(), "expired", null)], logger);
            }
        }

        // Unfinished work (the mint, a notification the inbox did not take) keeps the reminder at the retry period.
        var retry = state.State.AssetId is null || !notified;
        if (active || retry)
        {
            var due = active ? MembershipRules.ReminderDue(state.State.ExpiresAt!.Value, state.State.WarnAt, now) : retryPeriod;
            await FollowUp.ArmAsync(retry && due > retryPeriod ? retryPeriod : due, retryPeriod);
        }
        else
        {
            await UnregisterAsync();
        }
    }

    private ReminderSlot FollowUp => followUp ??= new(this, FollowUpReminder);

    private Task UnregisterAsync() => FollowUp.DisarmAsync();

    private MembershipView View()
    {
        var now = time.GetUtcNow();
        var pricing = shownPricing;
        return new MembershipView(
            fan, creator, MembershipRules.IsActive(state.State.ExpiresAt, now), state.State.PurchasedAt, state.State.ExpiresAt,
            MembershipRules.DaysRemaining(state.State.ExpiresAt, now), state.State.Purchases, state.State.LastPaidMicroAlgo,
            state.State.TotalPaidMicroAlgo, state.State.AssetId, now, pricing.MembershipPriceMicroAlgo, pricing.MembershipValidity,
            state.State.ExpiryBookedAt);
    }

    /// <summary>The fan's index lists the creators the fan paid, purchases included, so its membership page finds this one.</summary>
    private Task ListWithFanAsync() =>
        state.State.Purchases > 0 ? fanIndex.AddAsync(fan, creator) : Task.CompletedTask;
}
