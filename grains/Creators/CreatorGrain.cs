using FanForge.Grains.Algorand;
using FanForge.Grains.Algorand.Clients;
using FanForge.Grains.Chain;
using FanForge.Grains.Loyalty;
using FanForge.GrainInterfaces.Chain;
using FanForge.GrainInterfaces.Creators;
using FanForge.GrainInterfaces.Errors;
using Microsoft.Extensions.Options;

namespace FanForge.Grains.Creators;

[GenerateSerializer, Alias("ff.CreatorState")]
public sealed class CreatorState
{
    [Id(0)] public CreatorProfile? Profile { get; set; }

    /// <summary>
    /// The signed TipProxy creation, kept before it is first sent: a retry resends these exact bytes, so however
    /// often registration is retried at most one app is ever created.
    /// </summary>
    [Id(1)] public byte[]? DeploymentTransaction { get; set; }

    /// <summary>The creator's price changes, oldest first, each with the round it takes effect from.</summary>
    [Id(2)] public List<PriceChange> Prices { get; set; } = [];

    /// <summary>Changes older than the kept ones were dropped.</summary>
    [Id(3)] public bool PricesTruncated { get; set; }

    /// <summary>The highest round the payment pipeline has been given prices for, as of the last price change.</summary>
    [Id(4)] public ulong PricedThrough { get; set; }
}

[GrainType("ff.creator")]
public sealed class CreatorGrain(
    [PersistentState("creator", StorageNames.Default)] IPersistentState<CreatorState> state,
    IAlgodClient algod,
    PlatformAccount platform,
    ITipProxyPrograms programs,
    IOptions<LoyaltyOptions> loyalty,
    TimeProvider time) : Grain, ICreator
{
    /// <summary>
    /// The highest round a price read was asked for in this activation: a change never takes effect at or before it.
    /// Kept in memory (reads are never written); after a reactivation the chain's current round bounds it instead, as
    /// the pipeline only prices rounds the chain has confirmed.
    /// </summary>
    private ulong pricedThrough;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        pricedThrough = state.State.PricedThrough;
        return Task.CompletedTask;
    }

    public Task<PriceSchedule> GetPriceScheduleAsync(ulong throughRound)
    {
        // Synchronous to the end: an interleaved price change sees this round before it picks its own.
        pricedThrough = Math.Max(pricedThrough, throughRound);
        return Task.FromResult(Schedule());
    }

    public Task<CreatorPricingView> GetPricingAsync() => Task.FromResult(PricingView());

    public async Task<CreatorPricingView> SetPricingAsync(PriceSettings patch)
    {
        _ = state.State.Profile ?? throw DomainException.NotFound("Creator", this.GetPrimaryKeyString());
        PricingRules.Validate(patch);
        var current = state.State.Prices.Count > 0 ? state.State.Prices[^1].Settings : PriceSettings.None;
        var wanted = current.With(patch);
        if (wanted == current)
        {
            return PricingView(); // a repeat, or a patch to the prices in force: nothing to record
        }

        var chainRound = (await CallNodeAsync(() => algod.GetStatusAsync())).LastRound;
        // From here to the state change nothing is awaited, so no price read interleaves between choosing the round and
        // recording the change: every read either came before (and is below the round) or sees the change.
        var newest = state.State.Prices.Count > 0 ? state.State.Prices[^1].EffectiveFromRound : (ulong?)null;
        var round = PricingRules.EffectiveRound(chainRound, pricedThrough, newest);
        var (changes, dropped) = PricingRules.Add(state.State.Prices, new PriceChange(round, time.GetUtcNow(), wanted), ICreator.PriceHistoryLength);
        state.State.Prices = changes;
        state.State.PricesTruncated |= dropped;
        state.State.PricedThrough = pricedThrough;
        await state.WriteStateAsync();
        return PricingView();
    }

    private CreatorPricingView PricingView() => new(loyalty.Value.Defaults, Schedule());

    private PriceSchedule Schedule() =>
        new([.. state.State.Prices], pricedThrough) { Truncated = state.State.PricesTruncated };

    public async Task<CreatorProfile> RegisterAsync(RegisterCreator command)
    {
        if (state.State.Profile is { } existing)
        {
            // A retry of the same registration (its response was lost) gets the first answer; a different one is refused.
            if (existing.Username != command.Username || existing.MinTipMicroAlgo != command.MinTipMicroAlgo)
            {
                throw DomainException.Conflict(
                    "already_registered",
                    $"Creator {existing.Wallet[..8]}... is already registered.",
                    new { registeredAt = existing.RegisteredAt, appId = existing.Contract?.AppId });
            }
        }
        else
        {
            state.State.Profile = new CreatorProfile(this.GetPrimaryKeyString(), command.Username, command.MinTipMicroAlgo, time.GetUtcNow());
            await state.WriteStateAsync();
        }

        var profile = state.State.Profile.Contract is null ? await DeployAsync(state.State.Profile) : state.State.Profile;
        // Idempotent, and repeated on every retry: it repairs a crash between saving the contract and listing it.
        await GrainFactory.GetGrain<ICreatorDirectory>(ICreatorDirectory.Key).RegisterAsync(
            new CreatorApp(profile.Wallet, profile.Contract!.AppId, profile.Contract.CreatedRound));
        return profile;
    }

    public Task<CreatorProfile?> GetProfileAsync() => Task.FromResult(state.State.Profile);

    public async Task<TipProxyStats?> GetContractStatsAsync()
    {
        if (state.State.Profile?.Contract is not { } contract)
        {
            return null;
        }

        try
        {
            return await algod.GetApplicationAsync(contract.AppId) is { } app ? TipProxy.ReadStats(app) : null;
        }
        catch (AlgorandNodeException e)
        {
            throw ChainRejections.FromNodeRead(e);
        }
    }

    // The profile keeps a copy of the version rather than GET /contract reading algod each time: that route is public
    // and the tip page's, and the creator policy reads the profile on every creator call, so neither should wait on
    // the node. The follower calls this for each confirmed update it reads, whoever submitted it, so the copy trails the
    // chain by about one turn. It is read, not counted, so the follower's redelivery changes nothing.
    public async Task ContractUpdatedAsync(ulong appId, string? refusal)
    {
        if (state.State.Profile is not { Contract: { } contract } profile || contract.AppId != appId)
        {
            return;
        }

        var version = refusal is null && await GetContractStatsAsync() is { } stats ? Math.Max(stats.ContractVersion, contract.Version) : contract.Version;
        if (version != contract.Version || refusal != contract.Refusal)
        {
            state.State.Profile = profile with { Contract = contract with { Version = version, Refusal = refusal } };
            await state.WriteStateAsync();
        }
    }

    private async Task<CreatorProfile> DeployAsync(CreatorProfile profile)
    {
        var cancellation = CancellationToken.None;
        if (state.State.DeploymentTransaction is null)
        {
            var chain = await CallNodeAsync(() => algod.GetTransactionParamsAsync(cancellation));
            var create = TipProxy.BuildCreate(
                platform.Address, AlgorandAddress.Parse(profile.Wallet), (ulong)profile.MinTipMicroAlgo, chain, await programs.GetAsync(cancellation));
            state.State.DeploymentTransaction = SignedTransaction.Sign(create, platform.Signer).Encode();
            await state.WriteStateAsync();
        }

        var signed = SignedTransaction.Decode(state.State.DeploymentTransaction);
        var confirmed = await PlatformTransactions.SubmitOnceAsync(algod, state.State.DeploymentTransaction, ForgetDeploymentAsync, cancellation);
        var appId = confirmed.ApplicationIndex ?? throw new DomainException(
            DomainErrorKind.Upstream, "transaction_failed", $"TipProxy creation {signed.TxId} confirmed without an application id.");
        var contract = new TipProxyContract(
            appId, AlgorandAddress.ForApplication(appId).ToString(), TipProxy.Version, signed.TxId, confirmed.ConfirmedRound ?? 0, time.GetUtcNow());
        state.State.Profile = profile with { Contract = contract };
        state.State.DeploymentTransaction = null;
        await state.WriteStateAsync();
        return state.State.Profile;
    }

    private Task ForgetDeploymentAsync()
    {
        state.State.DeploymentTransaction = null;
        return state.WriteStateAsync();
    }

    private static async Task<T> CallNodeAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (AlgorandNodeException e)
        {
            throw ChainRejections.FromNode(e);
        }
    }
}
