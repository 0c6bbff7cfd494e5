using FanForge.Grains.Live;
using FanForge.Grains.Notifications;
using FanForge.GrainInterfaces.Loyalty;
using FanForge.GrainInterfaces.Nfts;
using FanForge.GrainInterfaces.Notifications;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FanForge.Grains.Loyalty;

[GenerateSerializer, Alias("ff.FanLoyaltyState")]
public sealed class FanLoyaltyState
{
    [Id(0)] public int PaymentCount { get; set; }
    [Id(1)] public long PaymentMicroAlgo { get; set; }
    [Id(2)] public int ButkiTipCount { get; set; }
    [Id(3)] public long ButkiMicroAlgo { get; set; }
    [Id(4)] public long? LastBadgeAssetId { get; set; }
    [Id(5)] public ChainPosition? FirstPayment { get; set; }
    /// <summary>The last applied payment: everything at or below it is already counted.</summary>
    [Id(6)] public ChainPosition HighWater { get; set; }

    /// <summary>Badges minted so far; they are minted one after another, so a count is all the state needed.</summary>
    [Id(7)] public int BadgesMinted { get; set; }

    /// <summary>The latest payments, newest first, at most <see cref="FanLoyaltyGrain.RecentCapacity"/>: bounded, like all of this state.</summary>
    [Id(8)] public List<ChainTip> Recent { get; set; } = [];

    /// <summary>
    /// The fan's index is known to list this creator. Set after the index answered and persisted with the pair's next
    /// write, so a pair calls the index once, not once per tip; a crash before that write only repeats the
    /// (idempotent) call.
    /// </summary>
    [Id(9)] public bool Indexed { get; set; }

    /// <summary>The fan's "badge minted" notifications not yet handed to its inbox (see <see cref="NotificationOutbox"/>).</summary>
    [Id(10)] public List<Notification> Notifications { get; set; } = [];
}

/// <summary>
/// Key <c>{creator}/{fan}</c>. A thin state machine over <see cref="LoyaltyRules"/>. It receives tips only (the
/// creator's journal routes purchases and order payments to their own owners), so every payment here is a tip.
/// </summary>
[GrainType("ff.fan-loyalty")]
public sealed class FanLoyaltyGrain(
    [PersistentState("fan-loyalty", StorageNames.Default)] IPersistentState<FanLoyaltyState> state,
    IOptions<LoyaltyOptions> options,
    IFanCreatorIndex fanIndex,
    TimeProvider time,
    ILogger<FanLoyaltyGrain> logger) : Grain, IFanLoyalty, IRemindable
{
    internal const int RecentCapacity = 10;
    private const string MintRetryReminder = "badge-mint-retry";
    private static readonly TimeSpan MintRetryPeriod = TimeSpan.FromMinutes(1);

    private readonly LoyaltyOptions rules = options.Value;
    private string creator = "";
    private string fan = "";
    private bool mintRetryArmed;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (creator, fan) = FanLoyaltyKey.Parse(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    public async Task<FanLoyaltySnapshot> ApplyAsync(IReadOnlyList<PricedTip> tips)
    {
        var fresh = tips.Where(t => t.Tip.Position > state.State.HighWater).OrderBy(t => t.Tip.Position).ToList();
        var badgesBefore = LoyaltyRules.BadgesOwed(state.State.ButkiTipCount, rules.BadgeInterval);
        foreach (var (tip, countsForButki) in fresh)
        {
            state.State.FirstPayment ??= tip.Position;
            state.State.PaymentCount++;
            state.State.PaymentMicroAlgo += tip.AmountMicroAlgo;
            if (countsForButki)
            {
                state.State.ButkiTipCount++;
                state.State.ButkiMicroAlgo += tip.AmountMicroAlgo;
            }

            state.State.HighWater = tip.Position;
        }

        if (fresh.Count > 0)
        {
            state.State.Recent.PrependKeepingNewest(fresh.Select(t => t.Tip).Reverse(), RecentCapacity);

            await state.WriteStateAsync();
        }

        // Also for a redelivery that changed nothing, until the index has answered once: this repairs a crash between
        // the write above and this call.
        var snapshot = Snapshot();
        if (state.State.FirstPayment is not null && !state.State.Indexed)
        {
            await fanIndex.AddAsync(fan, creator);
            state.State.Indexed = true;
        }

        if (snapshot.BadgesEarned > state.State.BadgesMinted)
        {
            await RequestNextMintAsync();
        }

        if (snapshot.BadgesEarned > badgesBefore)
        {
            var at = fresh[^1].Tip.ConfirmedAt;
            await LiveEvents.PublishAsync(
                GrainFactory, [.. Enumerable.Range(badgesBefore + 1, snapshot.BadgesEarned - badgesBefore).Select(n => LiveEvents.Badge(snapshot, n, at))], logger);
        }

        return snapshot;
    }

    public Task<FanLoyaltySnapshot> GetAsync() => Task.FromResult(Snapshot());

    public Task<IReadOnlyList<ChainTip>> GetRecentAsync() => Task.FromResult<IReadOnlyList<ChainTip>>([.. state.State.Recent]);

    public async Task BadgeMintedAsync(int badgeNumber, ulong assetId)
    {
        if (badgeNumber != state.State.BadgesMinted + 1)
        {
            return; // already recorded (a repeated notice), or not the one asked for
        }

        var at = time.GetUtcNow();
        state.State.BadgesMinted = badgeNumber;
        state.State.LastBadgeAssetId = (long)assetId;
        // Queued in the write that records the mint: the minter's repeat of this call returns above, so the queue is
        // what makes the notification survive a crash or a failed send.
        state.State.Notifications.Add(NotificationFactory.BadgeMinted(creator, fan, badgeNumber, assetId, at));
        await state.WriteStateAsync();
        // Only where the count advanced, so each badge is counted once; a crash just before this line loses one from the
        // creator's total (a display figure), which is the price of not keeping a per-fan set in the creator's ledger.
        await GrainFactory.GetGrain<ICreatorPayments>(creator).BadgeMintedAsync(fan, badgeNumber);
        await LiveEvents.PublishAsync(GrainFactory, [LiveEvents.BadgeMinted(creator, fan, badgeNumber, assetId, at)], logger);
        var notified = await NotificationOutbox.SendAsync(GrainFactory, state.State.Notifications, logger);
        if (LoyaltyRules.BadgesOwed(state.State.ButkiTipCount, rules.BadgeInterval) > state.State.BadgesMinted)
        {
            await RequestNextMintAsync();
        }
        else if (notified)
        {
            await this.UnregisterReminderIfAnyAsync(MintRetryReminder);
            mintRetryArmed = false;
        }
        else
        {
            await ArmRetryAsync(); // the same reminder sends the notification again
        }
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        var owed = LoyaltyRules.BadgesOwed(state.State.ButkiTipCount, rules.BadgeInterval) > state.State.BadgesMinted;
        if (owed)
        {
            await RequestNextMintAsync();
        }

        if (await NotificationOutbox.SendAsync(GrainFactory, state.State.Notifications, logger) && !owed)
        {
            await this.UnregisterReminderIfAnyAsync(MintRetryReminder);
            mintRetryArmed = false;
        }
    }

    /// <summary>
    /// Asks for the next badge without waiting for the chain, and arms a reminder that asks again until the mint
    /// is confirmed, so a failed mint is retried, even after a restart; the minter's stored transaction keeps it to one.
    /// </summary>
    private async Task RequestNextMintAsync()
    {
        await ArmRetryAsync();
        var next = MintRequest.Butki(creator, fan, state.State.BadgesMinted + 1);
        await GrainFactory.GetGrain<INftMint>(next.Key).StartAsync(next);
    }

    private async Task ArmRetryAsync()
    {
        if (!mintRetryArmed)
        {
            await this.RegisterOrUpdateReminder(MintRetryReminder, MintRetryPeriod, MintRetryPeriod);
            mintRetryArmed = true;
        }
    }

    private FanLoyaltySnapshot Snapshot() => new(
        fan,
        creator,
        state.State.PaymentCount,
        state.State.PaymentMicroAlgo,
        state.State.ButkiTipCount,
        state.State.ButkiMicroAlgo,
        LoyaltyRules.BadgesOwed(state.State.ButkiTipCount, rules.BadgeInterval),
        LoyaltyRules.TipsToNextBadge(state.State.ButkiTipCount, rules.BadgeInterval),
        state.State.LastBadgeAssetId,
        state.State.FirstPayment,
        state.State.HighWater,
        state.State.BadgesMinted);
}
