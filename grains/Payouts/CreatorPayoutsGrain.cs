using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using FanForge.Grains.Algorand;
using FanForge.Grains.Algorand.Clients;
using FanForge.Grains.Chain;
using FanForge.Grains.Notifications;
using FanForge.GrainInterfaces.Creators;
using FanForge.GrainInterfaces.Errors;
using FanForge.GrainInterfaces.Notifications;
using FanForge.GrainInterfaces.Payouts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FanForge.Grains.Payouts;

[GenerateSerializer, Alias("ff.CreatorPayoutsState")]
public sealed class CreatorPayoutsState
{
    [Id(0)] public PayoutSchedule Schedule { get; set; } = new(PayoutMode.Off);

    /// <summary>When the schedule in force was set (business clock); null while none ever was.</summary>
    [Id(1)] public DateTimeOffset? Since { get; set; }

    /// <summary>One record per period, oldest first, at most <see cref="ICreatorPayouts.KeptPayouts"/>.</summary>
    [Id(2)] public List<PayoutRecord> Payouts { get; set; } = [];

    /// <summary>Threshold payouts that landed: the next threshold period is this plus one.</summary>
    [Id(3)] public long ThresholdPayoutsMade { get; set; }

    /// <summary>The payout being sent, stored signed before its first send; cleared when it lands or can never land.</summary>
    [Id(4)] public InFlightPayout? InFlight { get; set; }

    /// <summary>
    /// <c>payout_sent</c> notices not yet handed to the creator's inbox, queued in the write that records the payout
    /// paid (see <see cref="NotificationOutbox"/>); the reminder's next tick sends what is left.
    /// </summary>
    [Id(5)] public List<Notification> Notifications { get; set; } = [];
}

/// <summary>A period's signed withdraw call, exactly the bytes every attempt sends.</summary>
[GenerateSerializer, Immutable, Alias("ff.InFlightPayout")]
public sealed record InFlightPayout(
    [property: Id(0)] string Period,
    [property: Id(1)] PayoutMode Mode,
    [property: Id(2)] byte[] SignedTransaction,
    [property: Id(3)] string TxId,
    [property: Id(4)] long AmountMicroAlgo,
    [property: Id(5)] ulong AppId);

/// <summary>
/// Key: creator wallet. Runs the creator's payout schedule on one reminder: each tick first finishes the payout in
/// flight, then, if a period is due (<see cref="PayoutRules"/>, on the business clock), reads the app and its balance,
/// and pays by the platform's <c>withdraw</c> call, signed and stored (with its period) before it is first sent, so a
/// retry, a lost answer or a reactivation mid-send sends the same bytes again and a period is paid at most once. Calls
/// go one way: this grain reads the creator's profile and the node; nothing calls back.
/// </summary>
[GrainType("ff.creator-payouts")]
public sealed class CreatorPayoutsGrain(
    [PersistentState("creator-payouts", StorageNames.Default)] IPersistentState<CreatorPayoutsState> state,
    IAlgodClient algod,
    PlatformAccount platform,
    ITipProxyPrograms programs,
    BusinessClock clock,
    IOptions<PayoutOptions> options,
    IOptions<ReminderOptions> reminderOptions,
    ILogger<CreatorPayoutsGrain> logger) : Grain, ICreatorPayouts, IRemindable
{
    public const string MeterName = "FanForge.Payouts";
    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Outcomes = Meter.CreateCounter<long>(
        "fanforge.payouts.outcomes", description: "Payout periods reaching a status (paid, nothing_to_pay, upgrade_required, failed)");
    private static readonly Counter<long> PaidMicroAlgo = Meter.CreateCounter<long>(
        "fanforge.payouts.paid_micro_algo", description: "Micro-ALGO paid out to creators by scheduled payouts");

    private const int ViewLimit = 20;
    private ReminderSlot? reminder;
    private bool reminderArmed;

    private string Creator => this.GetPrimaryKeyString();

    private ReminderSlot Reminder => reminder ??= new(this, "payouts");

    private TimeSpan CheckPeriod => options.Value.CheckInterval > reminderOptions.Value.MinimumReminderPeriod
        ? options.Value.CheckInterval
        : reminderOptions.Value.MinimumReminderPeriod;

    public async Task<PayoutScheduleResult> SetScheduleAsync(PayoutSchedule schedule)
    {
        PayoutRules.Validate(schedule);
        var changed = schedule != state.State.Schedule || state.State.Since is null;
        if (changed)
        {
            state.State.Schedule = schedule;
            state.State.Since = clock.GetUtcNow();
            await state.WriteStateAsync();
        }

        // Also on a repeat: a first attempt that stored the schedule may have failed before arming the reminder.
        await KeepReminderAsync();
        return new PayoutScheduleResult(changed, View(ViewLimit));
    }

    public Task<PayoutsView> GetAsync(int limit) => Task.FromResult(View(Math.Clamp(limit, 1, ICreatorPayouts.KeptPayouts)));

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        try
        {
            await CheckAsync();
        }
        catch (Exception e) when (e is DomainException or AlgorandNodeException)
        {
            // The next tick tries again; a payout in flight is stored, so it is sent again as the same bytes.
            logger.LogWarning(e, "Payout check for creator {Creator} failed; the next tick ({Period}) tries again", Creator, CheckPeriod);
        }
    }

    public async Task<PayoutsView> CheckAsync()
    {
        await NotificationOutbox.SendAsync(GrainFactory, state.State.Notifications, logger);
        if (state.State.InFlight is { } inFlight)
        {
            await SendAsync(inFlight);
        }
        else if (state.State.Since is { } since
            && PayoutRules.DuePeriod(state.State.Schedule, since, clock.GetUtcNow(), state.State.ThresholdPayoutsMade, IsSettled) is { } period)
        {
            await PayPeriodAsync(period);
        }

        await KeepReminderAsync();
        return View(ViewLimit);
    }

    private bool IsSettled(string period) => state.State.Payouts.Any(p => p.Period == period && PayoutStatus.IsFinal(p.Status));

    private async Task PayPeriodAsync(string period)
    {
        var schedule = state.State.Schedule;
        if ((await GrainFactory.GetGrain<ICreator>(Creator).GetProfileAsync())?.Contract is not { } contract)
        {
            logger.LogWarning("Creator {Creator} has a payout schedule but no TipProxy app; nothing to pay from", Creator);
            return;
        }

        var app = await ReadNodeAsync(() => algod.GetApplicationAsync(contract.AppId));
        if (app is null)
        {
            logger.LogWarning("TipProxy app {AppId} of creator {Creator} does not exist; no payout", contract.AppId, Creator);
            return;
        }

        var account = await ReadNodeAsync(() => algod.GetAccountAsync(AlgorandAddress.ForApplication(app.Id)));
        var available = PayoutRules.Available(account.Amount, account.MinBalance);
        switch (PayoutRules.Decide(schedule, available))
        {
            case PayoutDecision.Wait:
                return;
            case PayoutDecision.NothingToPay:
                Record(period, schedule.Mode, PayoutStatus.NothingToPay, available, app.Id);
                await state.WriteStateAsync();
                return;
        }

        var shipped = await programs.GetShippedAsync(CancellationToken.None);
        var version = TipProxy.ProgramVersionOf(app.ApprovalProgram, shipped);
        if (version is null || version < TipProxy.PlatformWithdrawVersion)
        {
            await SkipAsync(period, schedule.Mode, PayoutStatus.UpgradeRequired, available, app.Id, version is null
                ? "The app runs a program FanForge does not ship: upgrade the contract to the current TipProxy for scheduled payouts."
                : $"The app runs TipProxy version {version}, whose withdraw only the creator may call: upgrade the contract for scheduled payouts.");
            return;
        }

        if (Global(app, TipProxy.GlobalKeys.Platform) is not { } named || !named.AsSpan().SequenceEqual(platform.Address.PublicKey)
            || Global(app, TipProxy.GlobalKeys.Creator) is not { Length: 32 } creatorKey)
        {
            await SkipAsync(period, schedule.Mode, PayoutStatus.Failed, available, app.Id,
                "The app names another platform account, so the platform cannot trigger its withdraw.");
            return;
        }

        var chain = await ReadNodeAsync(() => algod.GetTransactionParamsAsync());
        var call = TipProxy.BuildPlatformWithdraw(platform.Address, AlgorandAddress.FromPublicKey(creatorKey), app.Id, (ulong)available, chain);
        var signed = SignedTransaction.Sign(call, platform.Signer);
        var inFlight = new InFlightPayout(period, schedule.Mode, signed.Encode(), signed.TxId, available, app.Id);
        state.State.InFlight = inFlight;
        Record(period, schedule.Mode, PayoutStatus.Pending, available, app.Id, signed.TxId);
        // Stored before the first send: from here on every attempt sends exactly these bytes.
        await state.WriteStateAsync();
        await SendAsync(inFlight);
    }

    /// <summary>
    /// Sends the stored bytes (again) and waits for them. Bytes that can never land are forgotten and the period marked
    /// failed, so the next tick signs afresh from the balance then; a node failure keeps them for the next tick.
    /// </summary>
    private async Task SendAsync(InFlightPayout inFlight)
    {
        var discarded = false;
        PendingTransaction confirmed;
        try
        {
            confirmed = await PlatformTransactions.SubmitOnceAsync(
                algod, inFlight.SignedTransaction, () => { discarded = true; return Task.CompletedTask; }, CancellationToken.None);
        }
        catch (DomainException e) when (discarded)
        {
            state.State.InFlight = null;
            Record(inFlight.Period, inFlight.Mode, PayoutStatus.Failed, inFlight.AmountMicroAlgo, inFlight.AppId, inFlight.TxId, detail: e.Message);
            await state.WriteStateAsync();
            logger.LogWarning("Payout {Period} of creator {Creator} ({TxId}) can never land: {Reason}; the next tick tries again",
                inFlight.Period, Creator, inFlight.TxId, e.Message);
            return;
        }

        state.State.InFlight = null;
        if (inFlight.Mode == PayoutMode.Threshold)
        {
            state.State.ThresholdPayoutsMade++;
        }

        var paid = Record(inFlight.Period, inFlight.Mode, PayoutStatus.Paid, inFlight.AmountMicroAlgo, inFlight.AppId, inFlight.TxId, confirmed.ConfirmedRound);
        // The creator's notice is queued in the same write that records the payout paid, so it is sent at least once;
        // its id names the period, so the inbox keeps one.
        state.State.Notifications.Add(NotificationFactory.PayoutSent(Creator, paid.Period, paid.AmountMicroAlgo, paid.TxId!, clock.GetUtcNow()));
        await state.WriteStateAsync();
        PaidMicroAlgo.Add(inFlight.AmountMicroAlgo);
        logger.LogInformation("Paid out {Amount} µALGO to creator {Creator} for {Period} in {TxId} (round {Round})",
            paid.AmountMicroAlgo, Creator, paid.Period, paid.TxId, paid.ConfirmedRound);
        await NotificationOutbox.SendAsync(GrainFactory, state.State.Notifications, logger);
    }

    /// <summary>Records a period skipped for a reason a later tick may find gone; a repeat of the same reason writes nothing.</summary>
    private async Task SkipAsync(string period, PayoutMode mode, string status, long available, ulong appId, string detail)
    {
        if (state.State.Payouts.FirstOrDefault(p => p.Period == period) is { } known && known.Status == status && known.Detail == detail)
        {
            return;
        }

        Record(period, mode, status, available, appId, detail: detail);
        await state.WriteStateAsync();
    }

    private PayoutRecord Record(
        string period, PayoutMode mode, string status, long amount, ulong appId, string? txId = null, ulong? round = null, string? detail = null)
    {
        var now = clock.GetUtcNow();
        var known = state.State.Payouts.FirstOrDefault(p => p.Period == period);
        var record = new PayoutRecord(period, mode, status, amount, appId, txId, round, known?.RecordedAt ?? now, now, detail);
        state.State.Payouts = PayoutRules.Upsert(state.State.Payouts, record, ICreatorPayouts.KeptPayouts);
        if (known?.Status != status && status != PayoutStatus.Pending)
        {
            Outcomes.Add(1, new TagList { { "status", status } });
        }

        return record;
    }

    /// <summary>One reminder while there is anything to do: a schedule on, or a payout in flight.</summary>
    private async Task KeepReminderAsync()
    {
        if (state.State.Schedule.Mode != PayoutMode.Off || state.State.InFlight is not null || state.State.Notifications.Count > 0)
        {
            if (!reminderArmed)
            {
                await Reminder.ArmAsync(CheckPeriod, CheckPeriod);
                reminderArmed = true;
            }
        }
        else
        {
            await Reminder.DisarmAsync();
            reminderArmed = false;
        }
    }

    private PayoutsView View(int limit) => new(
        Creator, state.State.Schedule, state.State.Since, [.. Enumerable.Reverse(state.State.Payouts).Take(limit)], state.State.Payouts.Count);

    private static byte[]? Global(ApplicationInfo app, string key) => app.FindGlobal(Encoding.ASCII.GetBytes(key))?.Bytes;

    private static async Task<T> ReadNodeAsync<T>(Func<Task<T>> read)
    {
        try
        {
            return await read();
        }
        catch (AlgorandNodeException e)
        {
            throw ChainRejections.FromNodeRead(e);
        }
    }
}
