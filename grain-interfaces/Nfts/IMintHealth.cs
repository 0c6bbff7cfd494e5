using Orleans.Concurrency;

namespace FanForge.GrainInterfaces.Nfts;

/// <summary>
/// How minting fares across the cluster (one grain, key <see cref="Key"/>): every mint grain reports its failed attempts
/// and the retries that ended them. Counts are persisted, so they survive restarts; a crash may lose the last seconds.
/// </summary>
[Alias("ff.IMintHealth")]
public interface IMintHealth : IGrainWithStringKey
{
    /// <summary>The only key.</summary>
    public const string Key = "cluster";

    /// <summary>
    /// A mint attempt failed. <paramref name="nowStillFailing"/> is true on the failure that takes the mint past the
    /// retries allowed before it counts as still failing (once per failing streak). One-way: minting never waits for this.
    /// </summary>
    [Alias("AttemptFailed"), OneWay]
    Task AttemptFailedAsync(bool nowStillFailing);

    /// <summary>A mint succeeded after failing; <paramref name="wasStillFailing"/> if it had been counted as still failing.</summary>
    [Alias("RetrySucceeded"), OneWay]
    Task RetrySucceededAsync(bool wasStillFailing);

    /// <summary>The cluster-wide counts.</summary>
    [Alias("Get")]
    Task<MintHealthView> GetAsync();
}

/// <summary>What <c>/listener/status</c> reports about minting.</summary>
/// <param name="FailedAttempts">Failed mint attempts, every retry that failed included.</param>
/// <param name="RetriesSucceeded">Mints that succeeded after at least one failed attempt.</param>
/// <param name="StillFailing">Mints failing for more than <paramref name="MaxRetryAttempts"/> retries and not landed yet (still retried).</param>
/// <param name="MaxRetryAttempts">Retries after which a failing mint counts in <paramref name="StillFailing"/>.</param>
[GenerateSerializer, Immutable, Alias("ff.MintHealthView")]
public sealed record MintHealthView(
    [property: Id(0)] long FailedAttempts,
    [property: Id(1)] long RetriesSucceeded,
    [property: Id(2)] long StillFailing,
    [property: Id(3)] int MaxRetryAttempts);
