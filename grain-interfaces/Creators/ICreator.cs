using Orleans.Concurrency;

namespace FanForge.GrainInterfaces.Creators;

/// <summary>A creator (key: wallet address): profile and role. Every wallet is a fan; registration makes it a creator.</summary>
[Alias("ff.ICreator")]
public interface ICreator : IGrainWithStringKey
{
    /// <summary>
    /// Registers the wallet as a creator and deploys its TipProxy (the platform pays). An identical repeat returns
    /// the first profile, finishing a deployment an earlier attempt left unconfirmed; a different second registration
    /// is a 409 <c>already_registered</c> naming the first one, as the prototype has it; nothing changes.
    /// </summary>
    [Alias("Register")]
    Task<CreatorProfile> RegisterAsync(RegisterCreator command);

    /// <summary>The profile, or null for a wallet that never registered.</summary>
    [Alias("GetProfile")]
    Task<CreatorProfile?> GetProfileAsync();

    /// <summary>
    /// The TipProxy's counters as algod reports them now, or null while there is no contract (or the app is gone).
    /// A node failure is a 503 <c>algorand_unavailable</c> (transient) or a 502 <c>chain_read_failed</c>.
    /// </summary>
    [Alias("GetContractStats")]
    Task<TipProxyStats?> GetContractStatsAsync();

    /// <summary>
    /// The chain follower read an update (or deletion) of app <paramref name="appId"/>, or checked its program when it
    /// first saw it: the profile takes the version algod reports now, and <paramref name="refusal"/> (null when the
    /// program is one we ship) says why its payments earn nothing. Idempotent; another app id is ignored; a node failure
    /// throws (as <see cref="GetContractStatsAsync"/>).
    /// </summary>
    [Alias("ContractUpdated")]
    Task ContractUpdatedAsync(ulong appId, string? refusal);

    /// <summary>
    /// The creator's price changes (at most <see cref="PriceHistoryLength"/>, oldest first), final through at least
    /// <paramref name="throughRound"/>: the payment pipeline asks with the round of the payments it prices, and no later
    /// change takes effect at or before a round once asked for. Never calls another grain, so the payment pipeline can
    /// ask it without any cycle; interleaves with the creator's slower calls (node reads), so a payment never waits on
    /// them. An unregistered wallet has no changes: the platform defaults.
    /// </summary>
    [Alias("GetPriceSchedule"), AlwaysInterleave]
    Task<PriceSchedule> GetPriceScheduleAsync(ulong throughRound);

    /// <summary>
    /// Changes the fields <paramref name="patch"/> sets, for payments confirmed from the chain's next round on (and after
    /// every round already priced); earlier payments keep the earlier prices, however late they are processed. A patch
    /// that changes nothing records nothing. Out of range: 400 <c>invalid_pricing</c>, nothing changed; not registered:
    /// 404; the node unreachable: 503.
    /// </summary>
    [Alias("SetPricing")]
    Task<CreatorPricingView> SetPricingAsync(PriceSettings patch);

    /// <summary>The creator's prices now, the platform defaults they fall back on, and the recent changes (a plain read).</summary>
    [Alias("GetPricing"), AlwaysInterleave]
    Task<CreatorPricingView> GetPricingAsync();

    /// <summary>How many price changes a creator keeps: enough for any payment the follower can still be behind on.</summary>
    public const int PriceHistoryLength = 32;
}

/// <summary>Registration input; the minimum tip is integer micro-ALGO.</summary>
[GenerateSerializer, Immutable, Alias("ff.RegisterCreator")]
public sealed record RegisterCreator([property: Id(0)] string? Username, [property: Id(1)] long MinTipMicroAlgo);

/// <summary>A registered creator; <see cref="Contract"/> is null until its TipProxy is confirmed on chain.</summary>
[GenerateSerializer, Immutable, Alias("ff.CreatorProfile")]
public sealed record CreatorProfile(
    [property: Id(0)] string Wallet,
    [property: Id(1)] string? Username,
    [property: Id(2)] long MinTipMicroAlgo,
    [property: Id(3)] DateTimeOffset RegisteredAt,
    [property: Id(4)] TipProxyContract? Contract = null);

/// <summary>
/// A creator's deployed TipProxy: fans pay <see cref="AppAddress"/> and call <see cref="AppId"/>. <see cref="Refusal"/>
/// is set while the app runs a program FanForge does not ship (or is gone): its payments then earn nothing.
/// </summary>
[GenerateSerializer, Immutable, Alias("ff.TipProxyContract")]
public sealed record TipProxyContract(
    [property: Id(0)] ulong AppId,
    [property: Id(1)] string AppAddress,
    [property: Id(2)] ulong Version,
    [property: Id(3)] string TxId,
    [property: Id(4)] ulong CreatedRound,
    [property: Id(5)] DateTimeOffset DeployedAt,
    [property: Id(6)] string? Refusal = null);

/// <summary>A TipProxy's global state: the chain's own totals, so they include payments the watcher has not read yet.</summary>
[GenerateSerializer, Immutable, Alias("ff.TipProxyStats")]
public sealed record TipProxyStats(
    [property: Id(0)] ulong AppId,
    [property: Id(1)] long TotalTips,
    [property: Id(2)] long TotalAmountMicroAlgo,
    [property: Id(3)] long MinTipMicroAlgo,
    [property: Id(4)] bool Paused,
    [property: Id(5)] ulong ContractVersion);
