using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using FanForge.Grains.Algorand.Clients;
using FanForge.GrainInterfaces.Chain;
using FanForge.GrainInterfaces.Creators;
using FanForge.GrainInterfaces.Loyalty;
using FanForge.GrainInterfaces.Shawty;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FanForge.Grains.Chain;

/// <summary>
/// The follower's timing and paging. Not bound from a section of its own: <c>PollInterval</c> comes from
/// <c>Algorand:WatcherPollInterval</c>, the rest keep these defaults (tests set them).
/// </summary>
public sealed class ChainFollowerOptions
{
    /// <summary>
    /// Interval of the follower's timer after a failed turn (the back-off grows from it). A successful turn starts the
    /// next one at once: the node's wait for the next block paces the follower.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one wait for the next block lasts, and one turn's time budget (so calls queued behind a turn are served).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:25")]
    public TimeSpan BlockWait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Indexer page size (the indexer allows up to 10,000; public endpoints may cap lower).</summary>
    [Range(1, 10_000)]
    public int PageSize { get; set; } = 1000;

    /// <summary>
    /// Pages read in one step while catching up: the batch is bounded by transactions, not rounds, so a run of empty
    /// rounds (a chain that jumped ahead) costs one request, and a busy stretch is handed over in slices.
    /// </summary>
    [Range(1, 1000)]
    public int MaxPagesPerStep { get; set; } = 10;

    /// <summary>Longest wait before retrying after failed reads or deliveries.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often the node's genesis hash is compared with the one the cursor belongs to.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan GenesisCheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the registered apps are reloaded without a nudge.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan AppsRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// Every registered app and whether its program is ours, as of the follower's cursor. Its own state, written only when
/// an app is added or its program changes, so the cursor's write per step stays the same size however many creators
/// are registered.
/// </summary>
[GenerateSerializer, Alias("ff.FollowedAppsState")]
public sealed class FollowedAppsState
{
    [Id(0)] public Dictionary<ulong, FollowedApp> Apps { get; set; } = [];
}

/// <summary>
/// The claimed Shawty tokens the follower watches (asset id → creator) and how many of <see cref="IClaimedTokens"/>'s
/// entries it has loaded. Its own state, written only when tokens are added.
/// </summary>
[GenerateSerializer, Alias("ff.FollowedTokensState")]
public sealed class FollowedTokensState
{
    [Id(0)] public Dictionary<ulong, string> Tokens { get; set; } = [];
    [Id(1)] public int Loaded { get; set; }
}

[GenerateSerializer, Alias("ff.ChainFollowerState")]
public sealed class ChainFollowerState
{
    /// <summary>The next round to read; every round before it was handed to the journals. 0 before the first turn.</summary>
    [Id(0)] public ulong NextRound { get; set; }

    /// <summary>The chain the cursor belongs to (base64 genesis hash).</summary>
    [Id(1)] public string? GenesisHash { get; set; }


    [Id(3)] public long PaymentsCredited { get; set; }
    [Id(4)] public long Errors { get; set; }
    [Id(5)] public long RefusedForeignProgram { get; set; }

    /// <summary>Set when the chain went back or changed under the cursor: nothing is credited until an operator resumes.</summary>
    [Id(6)] public string? HaltReason { get; set; }
}

/// <summary>
/// The one chain follower. A turn waits for a round past the cursor, reads every transaction of the new rounds with
/// one paged indexer range read (its cost depends on the rounds' traffic, not on how many creators are registered),
/// keeps the TipProxy payments of registered apps (<see cref="RoundPayments"/>) and the holders' own transfers of
/// claimed Shawty tokens (<see cref="TokenTransfers"/>), hands each creator its payments in one call to its journal and
/// its token transfers in one call to its Shawty transfer journal, and only then moves the cursor. A crash in between re-reads those rounds, and the journals
/// ignore what they already hold. A reminder brings the follower back after a silo failure; a keep-alive timer runs the
/// turns. Against the simulated ledger the same code runs over the same client interfaces.
/// </summary>
[GrainType("ff.chain-follower")]
public sealed class ChainFollowerGrain(
    [PersistentState("chain-follower", StorageNames.Default)] IPersistentState<ChainFollowerState> state,
    [PersistentState("chain-follower-apps", StorageNames.Default)] IPersistentState<FollowedAppsState> followed,
    [PersistentState("chain-follower-tokens", StorageNames.Default)] IPersistentState<FollowedTokensState> watched,
    IAlgodClient algod,
    IIndexerClient indexer,
    ITipProxyPrograms programs,
    PlatformAccount platform,
    IOptions<ChainFollowerOptions> options,
    TimeProvider time,
    ILogger<ChainFollowerGrain> logger) : Grain, IChainFollower, IRemindable
{
    public const string MeterName = "FanForge.Chain";
    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> PaymentsIngested = Meter.CreateCounter<long>("fanforge.chain.payments_credited", description: "Payments handed to creator journals for the first time");
    private static readonly Counter<long> ReadFailures = Meter.CreateCounter<long>("fanforge.chain.read_failures", description: "Failed follower turns (node reads or journal deliveries)");
    private static readonly Counter<long> ForeignProgramPayments = Meter.CreateCounter<long>("fanforge.chain.foreign_program_payments", description: "Tips to apps whose program is not a TipProxy we ship: credited nothing");
    private static readonly Counter<long> Halts = Meter.CreateCounter<long>("fanforge.chain.halts", description: "Chain resets or regressions that stopped crediting");
    private static readonly Counter<long> Requests = Meter.CreateCounter<long>("fanforge.chain.requests", description: "Requests the follower made to algod and the indexer");
    private static readonly Histogram<double> LagRounds = Meter.CreateHistogram<double>("fanforge.chain.lag_rounds", description: "Rounds between the node's last round and the follower's cursor after a turn");

    /// <summary>Steps one turn takes while behind before it lets other work in.</summary>
    private const int MaxStepsPerTurn = 20;

    private readonly ChainFollowerOptions settings = options.Value;
    private readonly Queue<(DateTimeOffset At, int Payments)> recentDeliveries = new();
    private IGrainTimer? timer;
    private bool reminderArmed;
    private bool appsStale = true;
    private DateTimeOffset appsLoadedAt;
    private bool tokensStale = true;
    private DateTimeOffset tokensLoadedAt;
    private DateTimeOffset genesisCheckedAt;
    private DateTimeOffset? retryAt;
    private int consecutiveFailures;
    private ulong currentRound;
    private DateTimeOffset? lastPollAt;
    private bool nodeReachable;
    private long chainRequests;
    private long roundsRead;
    private IReadOnlyList<TipProxyProgram>? shippedPrograms;
    private CancellationTokenSource? waiting;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        timer = this.RegisterGrainTimer(TurnAsync, new GrainTimerCreationOptions(TimeSpan.Zero, settings.PollInterval) { Interleave = false, KeepAlive = true });
        return Task.CompletedTask;
    }

    public async Task EnsureRunningAsync()
    {
        if (!reminderArmed)
        {
            await this.RegisterOrUpdateReminder("watchdog", TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
            reminderArmed = true;
        }
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => EnsureRunningAsync();

    public Task NudgeAsync()
    {
        appsStale = true;
        retryAt = null;
        // Runs while a turn waits for the next block (it interleaves): ending that wait lets the turn load the new app
        // before it reads another round, instead of finding it only in the look back.
        waiting?.Cancel();
        return Task.CompletedTask;
    }

    public Task TokensClaimedAsync()
    {
        tokensStale = true;
        retryAt = null;
        waiting?.Cancel(); // as for an app: load the token before reading a round its holder may already move it in
        return Task.CompletedTask;
    }

    public async Task ResumeAsync(ulong fromRound)
    {
        var chain = await algod.GetTransactionParamsAsync();
        logger.LogWarning("Chain follower resumed by an operator at round {Round} (was halted: {Reason})", fromRound, state.State.HaltReason);
        state.State.HaltReason = null;
        state.State.GenesisHash = Convert.ToBase64String(chain.GenesisHash);
        state.State.NextRound = Math.Max(1, fromRound);
        await state.WriteStateAsync();
        genesisCheckedAt = time.GetUtcNow();
        timer?.Change(TimeSpan.Zero, settings.PollInterval);
    }

    public Task<ChainFollowerStatus> GetStatusAsync()
    {
        var now = time.GetUtcNow();
        while (recentDeliveries.TryPeek(out var oldest) && now - oldest.At > TimeSpan.FromMinutes(1))
        {
            recentDeliveries.Dequeue();
        }

        return Task.FromResult(new ChainFollowerStatus(
            timer is not null,
            state.State.NextRound == 0 ? 0 : state.State.NextRound - 1,
            currentRound,
            state.State.PaymentsCredited,
            state.State.Errors,
            followed.State.Apps.Count,
            settings.PollInterval,
            lastPollAt,
            recentDeliveries.Sum(d => d.Payments),
            nodeReachable,
            state.State.HaltReason,
            chainRequests,
            roundsRead,
            state.State.RefusedForeignProgram));
    }

    private async Task TurnAsync(CancellationToken cancellationToken)
    {
        lastPollAt = time.GetUtcNow();
        if (state.State.HaltReason is not null || (retryAt is { } at && at > lastPollAt))
        {
            return;
        }

        try
        {
            // Steps go on while they find new rounds, within a time budget so calls queued behind the turn are served.
            var started = time.GetUtcNow();
            for (var step = 0; step < MaxStepsPerTurn && state.State.HaltReason is null && time.GetUtcNow() - started < settings.BlockWait; step++)
            {
                if (!await StepAsync(cancellationToken))
                {
                    break;
                }
            }

            consecutiveFailures = 0;
            retryAt = null;
            // The next turn starts at once: its wait for the next block is the pacing, so a round is read as it closes
            // rather than at the next tick. (After a failure the ticks keep their interval and the back-off applies.)
            timer?.Change(TimeSpan.Zero, settings.PollInterval);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Deactivation: the cursor was not moved past anything undelivered, so the next activation resumes here.
        }
        catch (Exception e)
        {
            // Nothing after the cursor was lost: the same rounds are read again after the back-off.
            consecutiveFailures++;
            var backoff = Backoff.Doubling(settings.PollInterval + settings.PollInterval, settings.MaxBackoff, consecutiveFailures);
            retryAt = time.GetUtcNow() + backoff;
            nodeReachable = e is not AlgorandNodeException { IsTransient: true };
            state.State.Errors++;
            ReadFailures.Add(1);
            logger.LogWarning(e, "Chain follower turn at round {Round} failed ({Failures} in a row); retrying in {Backoff}",
                state.State.NextRound, consecutiveFailures, backoff);
        }
    }

    /// <summary>Waits for rounds past the cursor and reads them; returns whether it read any.</summary>
    private async Task<bool> StepAsync(CancellationToken cancellationToken)
    {
        shippedPrograms ??= await programs.GetShippedAsync(cancellationToken);
        var now = time.GetUtcNow();
        if (appsStale || now - appsLoadedAt >= settings.AppsRefreshInterval)
        {
            await LoadAppsAsync(cancellationToken);
        }

        if (tokensStale || now - tokensLoadedAt >= settings.AppsRefreshInterval)
        {
            await LoadTokensAsync(cancellationToken);
        }

        if (state.State.GenesisHash is null || now - genesisCheckedAt >= settings.GenesisCheckInterval)
        {
            if (!await CheckGenesisAsync(cancellationToken))
            {
                return false;
            }
        }

        if (await WaitForBlockAsync(cancellationToken) is not { } status)
        {
            return true; // the next step loads the app it was nudged about, then reads on
        }

        currentRound = status.LastRound;
        nodeReachable = true;
        var next = state.State.NextRound;
        if (status.LastRound + 1 < next)
        {
            await HaltAsync($"the node's last round {status.LastRound} is below round {next - 1}, which was already read: the chain was reset or the node serves another chain");
            return false;
        }

        if (status.LastRound < next)
        {
            LagRounds.Record(0);
            return false;
        }

        var (transactions, last) = await ReadRoundsAsync(next, status.LastRound, cancellationToken);
        if (last < next)
        {
            return false; // the indexer has not imported the new round yet
        }

        var read = RoundPayments.Read(transactions, followed.State.Apps, IsOurProgram);
        await HandOverAsync(read, transactions, cancellationToken);
        await HandOverTransfersAsync(TokenTransfers.Read(transactions, watched.State.Tokens, platform.Address.ToString()));

        if (read.ProgramChanges.Count > 0)
        {
            foreach (var change in read.ProgramChanges)
            {
                followed.State.Apps[change.AppId] = followed.State.Apps[change.AppId] with { Refusal = change.Refusal };
            }

            await followed.WriteStateAsync(cancellationToken);
        }

        state.State.NextRound = last + 1;
        await state.WriteStateAsync(cancellationToken);
        roundsRead += (long)(last - next + 1);
        LagRounds.Record(status.LastRound - last);
        return true;
    }

    /// <summary>
    /// The node's status once it has a round at or past the cursor. When no block comes within the wait, the plain
    /// status: a node that went back below the cursor never answers the wait, and must still be seen. Null when a
    /// nudge ended the wait.
    /// </summary>
    private async Task<NodeStatus?> WaitForBlockAsync(CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(settings.BlockWait);
        waiting = wait;
        try
        {
            Count();
            return await algod.WaitForBlockAfterAsync(state.State.NextRound - 1, wait.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            if (appsStale || tokensStale)
            {
                return null; // nudged: a new app or token to load first
            }

            Count();
            return await algod.GetStatusAsync(cancellationToken);
        }
        finally
        {
            waiting = null;
        }
    }

    /// <summary>
    /// Every transaction of rounds [<paramref name="first"/>, the returned last round]: up to <paramref name="last"/>,
    /// the indexer's own round, or, after <see cref="ChainFollowerOptions.MaxPagesPerStep"/> pages, the last round read
    /// whole (a round is never handed over in part).
    /// </summary>
    private async Task<(List<IndexerTransaction> Transactions, ulong Last)> ReadRoundsAsync(ulong first, ulong last, CancellationToken cancellationToken)
    {
        var transactions = new List<IndexerTransaction>();
        string? next = null;
        for (var pages = 1; ; pages++)
        {
            Count();
            var page = await indexer.SearchRoundsAsync(first, last, next, settings.PageSize, cancellationToken);
            // The indexer imports whole rounds: everything up to the round it reports was visible to this read.
            last = Math.Min(last, page.CurrentRound);
            transactions.AddRange(page.Transactions);
            if (page.Transactions.Count == 0 || (next = page.NextToken) is null)
            {
                break;
            }

            var partial = page.Transactions[^1].ConfirmedRound ?? 0;
            if (pages >= settings.MaxPagesPerStep && partial > first)
            {
                // The newest round may continue on the next page: stop before it.
                last = Math.Min(last, partial - 1);
                break;
            }
        }

        transactions.RemoveAll(t => t.ConfirmedRound > last);
        return (transactions, last);
    }

    /// <summary>Each creator's payments to its journal in one call (all creators at once), then program changes to the creators.</summary>
    private async Task HandOverAsync(RoundRead read, IReadOnlyList<IndexerTransaction> transactions, CancellationToken cancellationToken)
    {
        var groups = PaymentTracing.Enabled && read.Payments.Count > 0 ? GroupsOf(transactions) : null;
        var delivered = await Task.WhenAll(read.Payments.GroupBy(p => p.Creator).Select(byCreator =>
            AppendAsync(byCreator.Key, [.. byCreator], groups)));
        foreach (var change in read.ProgramChanges)
        {
            if (change.Refusal is not null)
            {
                logger.LogError("TipProxy app {AppId} of creator {Creator} at round {Round}: {Refusal}", change.AppId, change.Creator, change.Position.Round, change.Refusal);
            }

            await GrainFactory.GetGrain<ICreator>(change.Creator).ContractUpdatedAsync(change.AppId, change.Refusal);
        }

        if (read.Refused.Count > 0)
        {
            state.State.RefusedForeignProgram += read.Refused.Count;
            ForeignProgramPayments.Add(read.Refused.Count);
            logger.LogWarning("{Count} payments to TipProxy apps running a foreign program earned nothing (first: {TxId} to {Creator})",
                read.Refused.Count, read.Refused[0].TxId, read.Refused[0].Creator);
        }

        var fresh = delivered.Sum();
        if (fresh > 0)
        {
            state.State.PaymentsCredited += fresh;
            PaymentsIngested.Add(fresh);
            recentDeliveries.Enqueue((time.GetUtcNow(), fresh));
        }
    }

    /// <summary>Each creator's Shawty token transfers to its transfer journal in one call (all creators at once).</summary>
    private async Task HandOverTransfersAsync(IReadOnlyList<ShawtyChainTransfer> transfers)
    {
        if (transfers.Count > 0)
        {
            await Task.WhenAll(transfers.GroupBy(t => t.Creator).Select(byCreator =>
                GrainFactory.GetGrain<IShawtyTransfers>(byCreator.Key).AppendAsync([.. byCreator])));
        }
    }

    /// <summary>
    /// Loads the tokens claimed since the last look. A token registered before a round the cursor already passed has
    /// those rounds read again for it alone (from the round its registration names, which no transfer of it can
    /// precede), so a claim that reaches the follower late loses no transfer.
    /// </summary>
    private async Task LoadTokensAsync(CancellationToken cancellationToken)
    {
        var directory = GrainFactory.GetGrain<IClaimedTokens>(IClaimedTokens.Key);
        var added = new Dictionary<ulong, string>();
        var since = ulong.MaxValue;
        while (true)
        {
            var page = await directory.GetFromAsync(watched.State.Loaded + added.Count, 1000);
            foreach (var token in page)
            {
                added[token.AssetId] = token.Creator;
                since = Math.Min(since, token.SinceRound);
            }

            if (page.Count < 1000)
            {
                break;
            }
        }

        if (added.Count > 0)
        {
            // Tokens are never read ahead of the cursor: the rounds from there are read for everyone, these included.
            for (var from = Math.Max(1, since); state.State.NextRound > 0 && from < state.State.NextRound;)
            {
                var (transactions, last) = await ReadRoundsAsync(from, state.State.NextRound - 1, cancellationToken);
                await HandOverTransfersAsync(TokenTransfers.Read(transactions, added, platform.Address.ToString()));
                if (last < from)
                {
                    break;
                }

                from = last + 1;
            }

            foreach (var (assetId, creator) in added)
            {
                watched.State.Tokens[assetId] = creator;
            }

            watched.State.Loaded += added.Count;
            await watched.WriteStateAsync(cancellationToken);
        }

        tokensStale = false;
        tokensLoadedAt = time.GetUtcNow();
    }

    /// <summary>
    /// One creator's payments to its journal. With tracing on, inside a span of its own (a new trace: the payment's
    /// processing) carrying the transaction ids and linked to each submitting request's trace that is known.
    /// </summary>
    private async Task<int> AppendAsync(string creator, IReadOnlyList<ChainTip> payments, Dictionary<string, string>? groups)
    {
        var journal = GrainFactory.GetGrain<ICreatorPayments>(creator);
        using var span = groups is null ? null : PaymentTracing.StartDetached("payments.append");
        if (span is null)
        {
            return await journal.AppendAsync(payments);
        }

        span.SetTag(PaymentTracing.Creator, creator);
        span.SetTag(PaymentTracing.Count, payments.Count);
        span.SetTag(PaymentTracing.Round, (long)payments[0].Position.Round);
        span.SetTxIds([.. payments.Select(p => p.TxId)]);
        var paymentGroups = payments.Select(p => groups!.GetValueOrDefault(p.TxId)).OfType<string>().Distinct().ToList();
        span.SetTxGroups(paymentGroups);
        var submitted = await Task.WhenAll(paymentGroups.Select(g => GrainFactory.GetGrain<ISubmissionTrace>(g).TakeAsync()));
        foreach (var (group, traceParent) in paymentGroups.Zip(submitted))
        {
            if (PaymentTracing.ParseTraceParent(traceParent) is { TraceId: var traceId } link && traceId != default)
            {
                span.AddLink(new ActivityLink(link, new ActivityTagsCollection { [PaymentTracing.Group] = group }));
            }
        }

        var fresh = await journal.AppendAsync(payments);
        span.SetTag("fanforge.payment.fresh", fresh);
        return fresh;
    }

    /// <summary>The group (base64) of each grouped transaction, by transaction id.</summary>
    private static Dictionary<string, string> GroupsOf(IReadOnlyList<IndexerTransaction> transactions)
    {
        var groups = new Dictionary<string, string>();
        foreach (var transaction in transactions)
        {
            if (transaction is { Id: { } id, Group: { } group })
            {
                groups.TryAdd(id, Convert.ToBase64String(group));
            }
        }

        return groups;
    }

    /// <summary>
    /// Loads the registered apps. An app the follower has not seen is checked against our programs, and if it was
    /// created before the cursor its rounds since creation are read for it alone, so a registration that reaches the
    /// follower late loses nothing.
    /// </summary>
    private async Task LoadAppsAsync(CancellationToken cancellationToken)
    {
        var registered = await GrainFactory.GetGrain<ICreatorDirectory>(ICreatorDirectory.Key).GetAppsAsync();
        var added = registered.Where(a => !followed.State.Apps.ContainsKey(a.AppId)).ToList();
        if (state.State.NextRound == 0)
        {
            // First turn ever: start where the oldest app was created, or at the next round when none is registered.
            state.State.NextRound = registered.Count > 0 ? Math.Max(1, registered.Min(a => a.CreatedRound)) : await NodeRoundAsync(cancellationToken) + 1;
            await state.WriteStateAsync(cancellationToken);
        }

        foreach (var app in added)
        {
            Count();
            var info = await algod.GetApplicationAsync(app.AppId, cancellationToken);
            var refusal = info is null ? "the app does not exist on this chain"
                : IsOurProgram(info.ApprovalProgram) ? null
                : "its approval program is not one FanForge ships; its payments earn nothing";
            var entry = new FollowedApp(app.Creator, app.AppId, refusal);
            if (app.CreatedRound < state.State.NextRound)
            {
                await BackfillAsync(entry, app.CreatedRound, cancellationToken);
            }

            followed.State.Apps[app.AppId] = entry;
            if (refusal is not null)
            {
                await GrainFactory.GetGrain<ICreator>(app.Creator).ContractUpdatedAsync(app.AppId, refusal);
            }
        }

        // One write for all the apps added: a crash before it only repeats their checks and look backs, which the
        // journals make harmless.
        if (added.Count > 0)
        {
            await followed.WriteStateAsync(cancellationToken);
        }

        appsStale = false;
        appsLoadedAt = time.GetUtcNow();
    }

    /// <summary>The rounds before the cursor that hold calls to a newly seen app, read for that app alone.</summary>
    private async Task BackfillAsync(FollowedApp app, ulong fromRound, CancellationToken cancellationToken)
    {
        var rounds = new SortedSet<ulong>();
        string? next = null;
        while (true)
        {
            Count();
            var page = await indexer.SearchApplicationCallsAsync(app.AppId, fromRound, next, settings.PageSize, cancellationToken);
            // Only rounds with a tip call can hold a payment (the app's creation is a call too, and never one).
            rounds.UnionWith(page.Transactions
                .Where(t => t.OnCompletion == "noop" && t.ApplicationArgs.Count > 0 && t.ApplicationArgs[0].AsSpan().SequenceEqual("tip"u8))
                .Select(t => t.ConfirmedRound ?? 0)
                .Where(r => r < state.State.NextRound));
            if (page.Transactions.Count == 0 || page.Transactions.Any(t => t.ConfirmedRound >= state.State.NextRound) || (next = page.NextToken) is null)
            {
                break;
            }
        }

        var apps = new Dictionary<ulong, FollowedApp> { [app.AppId] = app };
        foreach (var round in rounds)
        {
            var (transactions, _) = await ReadRoundsAsync(round, round, cancellationToken); // one round: never cut short
            await HandOverAsync(RoundPayments.Read(transactions, apps, IsOurProgram), transactions, cancellationToken);
        }
    }

    /// <summary>False (and halted) when the node now serves another chain than the one the cursor belongs to.</summary>
    private async Task<bool> CheckGenesisAsync(CancellationToken cancellationToken)
    {
        Count();
        var chain = await algod.GetTransactionParamsAsync(cancellationToken);
        var genesis = Convert.ToBase64String(chain.GenesisHash);
        genesisCheckedAt = time.GetUtcNow();
        // The node answered: health can say so before the first wait for a block ends.
        (nodeReachable, currentRound) = (true, Math.Max(currentRound, chain.LastRound));
        if (state.State.GenesisHash is null)
        {
            state.State.GenesisHash = genesis;
            await state.WriteStateAsync(cancellationToken);
            return true;
        }

        if (state.State.GenesisHash == genesis)
        {
            return true;
        }

        await HaltAsync($"the node's genesis hash {genesis} ({chain.GenesisId}) is not {state.State.GenesisHash}, the chain the cursor belongs to");
        return false;
    }

    private async Task<ulong> NodeRoundAsync(CancellationToken cancellationToken)
    {
        Count();
        return (await algod.GetStatusAsync(cancellationToken)).LastRound;
    }

    /// <summary>Crediting stops, loudly: an error log, a metric, health degraded, the reason in the status, and it persists.</summary>
    private async Task HaltAsync(string reason)
    {
        state.State.HaltReason = reason;
        await state.WriteStateAsync();
        Halts.Add(1);
        logger.LogError("Chain follower halted at round {Round}: {Reason}. Nothing is credited until an operator resumes it.", state.State.NextRound, reason);
    }

    /// <summary>
    /// Whether approval-program bytes are a TipProxy version we ship or shipped (loaded at the start of every step): an
    /// app that stays on an older version keeps earning, and upgrading it to the current one is not a foreign update.
    /// </summary>
    private bool IsOurProgram(byte[] approval) =>
        TipProxy.ProgramVersionOf(approval, shippedPrograms ?? throw new InvalidOperationException("The shipped programs are loaded before any read.")) is not null;

    private void Count()
    {
        chainRequests++;
        Requests.Add(1);
    }
}
