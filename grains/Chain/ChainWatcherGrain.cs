using System.Diagnostics.Metrics;
using FanForge.Grains.Algorand.Clients;
using FanForge.GrainInterfaces.Chain;
using FanForge.GrainInterfaces.Creators;
using FanForge.GrainInterfaces.Loyalty;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FanForge.Grains.Chain;

/// <summary>Section <c>Algorand:Watcher</c>.</summary>
public sealed class ChainWatcherOptions
{
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Indexer page size (the indexer allows up to 10,000; public endpoints may cap lower).</summary>
    public int PageSize { get; set; } = 1000;

    /// <summary>Longest wait before retrying an app whose reads keep failing.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Apps read at the same time in one poll.</summary>
    public int MaxParallelApps { get; set; } = 8;
}

[GenerateSerializer, Alias("ff.AppCursor")]
public sealed class AppCursor
{
    [Id(0)] public string Creator { get; set; } = "";
    /// <summary>The next round to read from (inclusive); everything before it was delivered.</summary>
    [Id(1)] public ulong NextRound { get; set; }
    [Id(2)] public int ConsecutiveFailures { get; set; }
    [Id(3)] public DateTimeOffset? RetryAt { get; set; }
}

[GenerateSerializer, Alias("ff.ChainWatcherState")]
public sealed class ChainWatcherState
{
    [Id(0)] public Dictionary<ulong, AppCursor> Cursors { get; set; } = [];
    [Id(1)] public long TipsProcessed { get; set; }
    [Id(2)] public long Errors { get; set; }
}

/// <summary>
/// Delivery is at-least-once (a crash between delivering and saving the cursor re-reads those rounds); the tip
/// ledgers' high-water marks make the effect exactly once. A reminder brings the watcher back after a silo failure;
/// a keep-alive timer polls.
/// </summary>
[GrainType("ff.chain-watcher")]
public sealed class ChainWatcherGrain(
    [PersistentState("chain-watcher", StorageNames.Default)] IPersistentState<ChainWatcherState> state,
    IIndexerClient indexer,
    IOptions<ChainWatcherOptions> options,
    TimeProvider time,
    ILogger<ChainWatcherGrain> logger) : Grain, IChainWatcher, IRemindable
{
    public const string MeterName = "FanForge.Chain";
    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> TipsIngested = Meter.CreateCounter<long>("fanforge.chain.tips_ingested", description: "Tips delivered to creator ledgers for the first time");
    private static readonly Counter<long> ReadFailures = Meter.CreateCounter<long>("fanforge.chain.read_failures", description: "Failed indexer reads or deliveries");
    private static readonly Histogram<double> LagRounds = Meter.CreateHistogram<double>("fanforge.chain.lag_rounds", description: "Rounds between the indexer's tip and an app's cursor after a poll");

    private readonly ChainWatcherOptions settings = options.Value;
    private readonly Queue<(DateTimeOffset At, int Tips)> recentDeliveries = new();
    private IGrainTimer? timer;
    private bool reminderArmed;
    private ulong currentRound;
    private DateTimeOffset? lastPollAt;
    private bool indexerReachable;
    private long successfulReads;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        timer = this.RegisterGrainTimer(PollAsync, new GrainTimerCreationOptions(TimeSpan.Zero, settings.PollInterval) { Interleave = false, KeepAlive = true });
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
        timer?.Change(TimeSpan.Zero, settings.PollInterval);
        return Task.CompletedTask;
    }

    public Task<ChainWatcherStatus> GetStatusAsync()
    {
        var now = time.GetUtcNow();
        while (recentDeliveries.TryPeek(out var oldest) && now - oldest.At > TimeSpan.FromMinutes(1))
        {
            recentDeliveries.Dequeue();
        }

        var cursors = state.State.Cursors.Values;
        return Task.FromResult(new ChainWatcherStatus(
            timer is not null,
            cursors.Count == 0 ? 0 : cursors.Min(c => c.NextRound) - 1,
            currentRound,
            state.State.TipsProcessed,
            state.State.Errors,
            cursors.Count,
            settings.PollInterval,
            lastPollAt,
            recentDeliveries.Sum(d => d.Tips),
            indexerReachable));
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        var apps = await GrainFactory.GetGrain<ICreatorDirectory>(ICreatorDirectory.Key).GetAppsAsync();
        var changed = false;
        foreach (var app in apps.Where(a => !state.State.Cursors.ContainsKey(a.AppId)))
        {
            state.State.Cursors[app.AppId] = new AppCursor { Creator = app.Creator, NextRound = app.CreatedRound };
            changed = true;
        }

        var now = time.GetUtcNow();
        var due = state.State.Cursors.Where(c => c.Value.RetryAt is null || c.Value.RetryAt <= now).ToList();
        var readsBefore = successfulReads;
        using var slots = new SemaphoreSlim(settings.MaxParallelApps);
        var outcomes = await Task.WhenAll(due.Select(async c =>
        {
            await slots.WaitAsync(cancellationToken);
            try
            {
                return await PollAppAsync(c.Key, c.Value, cancellationToken);
            }
            finally
            {
                slots.Release();
            }
        }));

        if (successfulReads > readsBefore)
        {
            indexerReachable = true; // the searches answered, and their pages carried the indexer's round
        }
        else
        {
            await CheckIndexerAsync(cancellationToken);
        }

        lastPollAt = time.GetUtcNow();
        if (changed || outcomes.Any(o => o))
        {
            await state.WriteStateAsync(cancellationToken);
        }
    }

    /// <summary>With no app read this poll, health still has to say whether the chain is reachable and how far it is.</summary>
    private async Task CheckIndexerAsync(CancellationToken cancellationToken)
    {
        try
        {
            currentRound = Math.Max(currentRound, await indexer.GetHealthAsync(cancellationToken));
            indexerReachable = true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            indexerReachable = false;
            logger.LogWarning(e, "The indexer is unreachable");
        }
    }

    /// <summary>Reads one app from its cursor to the indexer's tip; returns whether its cursor or counters moved.</summary>
    private async Task<bool> PollAppAsync(ulong appId, AppCursor cursor, CancellationToken cancellationToken)
    {
        try
        {
            var ledger = GrainFactory.GetGrain<ICreatorTipLedger>(cursor.Creator);
            ulong highest = 0, indexerRound = 0;
            string? next = null;
            var delivered = 0;
            while (true)
            {
                var page = await indexer.SearchApplicationCallsAsync(appId, cursor.NextRound, next, settings.PageSize, cancellationToken);
                indexerRound = Math.Max(indexerRound, page.CurrentRound);
                if (page.Transactions.Count == 0)
                {
                    break;
                }

                highest = Math.Max(highest, page.Transactions.Max(t => t.ConfirmedRound ?? 0));
                var tips = page.Transactions.Select(t => TipLogs.TryDecode(t, cursor.Creator)).OfType<ChainTip>().ToList();
                if (tips.Count > 0)
                {
                    delivered += await ledger.ApplyAsync(tips);
                }

                // An upgrade keeps the app id, so its update is read here like a tip; before the cursor passes it, the
                // creator's profile learns the new version (a failure retries the page, as for tips).
                if (page.Transactions.Any(t => t.OnCompletion == "update"))
                {
                    await GrainFactory.GetGrain<ICreator>(cursor.Creator).ContractUpdatedAsync(appId);
                }

                if ((next = page.NextToken) is null)
                {
                    break;
                }
            }

            // The indexer imports whole rounds, and its answer was complete up to its current round.
            var moved = delivered > 0 || cursor.ConsecutiveFailures > 0 || Math.Max(indexerRound, highest) + 1 != cursor.NextRound;
            cursor.NextRound = Math.Max(cursor.NextRound, Math.Max(indexerRound, highest) + 1);
            cursor.ConsecutiveFailures = 0;
            cursor.RetryAt = null;
            successfulReads++;
            currentRound = Math.Max(currentRound, indexerRound);
            LagRounds.Record(indexerRound >= cursor.NextRound - 1 ? indexerRound - (cursor.NextRound - 1) : 0);
            if (delivered > 0)
            {
                state.State.TipsProcessed += delivered;
                TipsIngested.Add(delivered);
                recentDeliveries.Enqueue((time.GetUtcNow(), delivered));
            }

            return moved;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // This app backs off alone; the others keep their pace.
            cursor.ConsecutiveFailures++;
            var backoff = TimeSpan.FromTicks(Math.Min(settings.MaxBackoff.Ticks, settings.PollInterval.Ticks << Math.Min(cursor.ConsecutiveFailures, 16)));
            cursor.RetryAt = time.GetUtcNow() + backoff;
            state.State.Errors++;
            ReadFailures.Add(1);
            logger.LogWarning(e, "Reading TipProxy app {AppId} of creator {Creator} failed ({Failures} in a row); retrying in {Backoff}",
                appId, cursor.Creator, cursor.ConsecutiveFailures, backoff);
            return true;
        }
    }
}
