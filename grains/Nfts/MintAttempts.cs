using System.Diagnostics;
using System.Diagnostics.Metrics;
using FanForge.GrainInterfaces.Nfts;
using Microsoft.Extensions.Logging;

namespace FanForge.Grains.Nfts;

[GenerateSerializer, Alias("ff.MintAttemptsState")]
public sealed class MintAttemptsState
{
    /// <summary>Failed attempts in a row; the success that ends them clears the record.</summary>
    [Id(0)] public int Failures { get; set; }

    /// <summary>End of the backoff: asks before it are not attempts.</summary>
    [Id(1)] public DateTimeOffset? RetryAt { get; set; }
}

/// <summary>
/// The success and failure accounting around one mint grain's attempts, apart from the minting itself: the backoff
/// (<see cref="MintRetryPolicy"/>), the <see cref="MeterName"/> instruments and the reports to <see cref="IMintHealth"/>.
/// The backoff is persisted and checked on every ask, so neither an owner's reminder nor a restart can cut it short.
/// While the grain is active a one-shot timer retries when the backoff ends; owners' reminders (the durable clock)
/// bring it back after a restart, when <see cref="Begin"/> arms that timer again.
/// </summary>
internal sealed class MintAttempts(
    IGrainBase grain,
    IGrainFactory grains,
    IPersistentState<MintAttemptsState> state,
    MintRetryOptions options,
    Func<NftRecord?> minted,
    Func<MintRequest, Task> retry,
    TimeProvider time,
    ILogger logger)
{
    public const string MeterName = "FanForge.Nfts";
    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Failures = Meter.CreateCounter<long>("fanforge.nfts.mint_failures", description: "Failed mint attempts, each failed retry included");
    private static readonly Counter<long> RetriesSucceeded = Meter.CreateCounter<long>("fanforge.nfts.mint_retries_succeeded", description: "Mints that succeeded after at least one failed attempt");
    private static readonly Counter<long> Completed = Meter.CreateCounter<long>("fanforge.nfts.mints_completed", description: "NFTs that landed on chain");

    private IGrainTimer? retryTimer;
    private bool pendingAtStart;

    /// <summary>Whether this ask is an attempt; inside the backoff it is not, and a retry is armed for its end instead.</summary>
    public bool Begin(MintRequest request)
    {
        var now = time.GetUtcNow();
        if (state.State.RetryAt is { } at && now < at)
        {
            if (retryTimer is null)
            {
                ArmRetry(request, at - now);
            }

            return false;
        }

        pendingAtStart = minted() is null;
        return true;
    }

    public async Task SucceededAsync(MintRequest request)
    {
        CountLanding(request);
        DisarmRetry();
        var failures = state.State.Failures;
        if (failures == 0)
        {
            return;
        }

        state.State.Failures = 0;
        state.State.RetryAt = null;
        await state.ClearStateAsync();
        RetriesSucceeded.Add(1, KindTag(request));
        await grains.GetGrain<IMintHealth>(IMintHealth.Key).RetrySucceededAsync(MintRetryPolicy.IsStillFailing(failures, options));
        logger.LogInformation("Minting {Key} succeeded after {Failures} failed attempts", request.Key, failures);
    }

    public async Task FailedAsync(MintRequest request, Exception error)
    {
        CountLanding(request);
        var failures = state.State.Failures + 1;
        var delay = MintRetryPolicy.DelayAfter(failures, options, Random.Shared.NextDouble());
        logger.LogWarning(error, "Minting {Key} failed ({Failures} in a row); retrying in {Delay}", request.Key, failures, delay);
        ArmRetry(request, delay);
        state.State.Failures = failures;
        state.State.RetryAt = time.GetUtcNow() + delay;
        // Written before it is reported, so a crash in between under-counts rather than counting twice.
        await state.WriteStateAsync();
        Failures.Add(1, KindTag(request));
        var nowStillFailing = MintRetryPolicy.IsStillFailing(failures, options) && !MintRetryPolicy.IsStillFailing(failures - 1, options);
        await grains.GetGrain<IMintHealth>(IMintHealth.Key).AttemptFailedAsync(nowStillFailing);
    }

    /// <summary>Each NFT counts once, on the attempt that saw it land, whatever else that attempt did.</summary>
    private void CountLanding(MintRequest request)
    {
        if (pendingAtStart && minted() is not null)
        {
            Completed.Add(1, KindTag(request));
            pendingAtStart = false;
        }
    }

    private void ArmRetry(MintRequest request, TimeSpan due)
    {
        DisarmRetry();
        retryTimer = grain.RegisterGrainTimer(
            async _ =>
            {
                DisarmRetry();
                await retry(request);
            },
            new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan) { Interleave = false });
    }

    private void DisarmRetry()
    {
        retryTimer?.Dispose();
        retryTimer = null;
    }

    private static TagList KindTag(MintRequest request) => new() { { "kind", request.Kind.ToString().ToLowerInvariant() } };
}
