using FanForge.Grains.Live;
using FanForge.GrainInterfaces.Loyalty;
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
}

/// <summary>Key <c>{creator}/{fan}</c>. A thin state machine over <see cref="LoyaltyRules"/>.</summary>
[GrainType("ff.fan-loyalty")]
public sealed class FanLoyaltyGrain(
    [PersistentState("fan-loyalty", StorageNames.Default)] IPersistentState<FanLoyaltyState> state,
    IOptions<LoyaltyOptions> options,
    ILogger<FanLoyaltyGrain> logger) : Grain, IFanLoyalty
{
    private readonly LoyaltyOptions rules = options.Value;
    private string creator = "";
    private string fan = "";

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        (creator, fan) = (key[..slash], key[(slash + 1)..]);
        return Task.CompletedTask;
    }

    public async Task<FanLoyaltySnapshot> ApplyAsync(IReadOnlyList<ChainTip> tips)
    {
        var fresh = tips.Where(t => t.Position > state.State.HighWater).OrderBy(t => t.Position).ToList();
        var badgesBefore = LoyaltyRules.BadgesOwed(state.State.ButkiTipCount, rules.BadgeInterval);
        foreach (var tip in fresh)
        {
            state.State.FirstPayment ??= tip.Position;
            state.State.PaymentCount++;
            state.State.PaymentMicroAlgo += tip.AmountMicroAlgo;
            if (LoyaltyRules.CountsForButki(tip.Memo, tip.AmountMicroAlgo, rules))
            {
                state.State.ButkiTipCount++;
                state.State.ButkiMicroAlgo += tip.AmountMicroAlgo;
            }

            state.State.HighWater = tip.Position;
        }

        if (fresh.Count > 0)
        {
            await state.WriteStateAsync();
        }

        // Always (also for a redelivery that changed nothing): the index takes absolute values and dedupes payments,
        // so an update lost to a crash after the write above is repaired by the next delivery.
        var snapshot = Snapshot();
        await GrainFactory.GetGrain<IFanTipIndex>(fan).RecordAsync(snapshot, tips);
        if (snapshot.BadgesEarned > badgesBefore)
        {
            var at = fresh[^1].ConfirmedAt;
            await LiveEvents.PublishAsync(
                GrainFactory, [.. Enumerable.Range(badgesBefore + 1, snapshot.BadgesEarned - badgesBefore).Select(n => LiveEvents.Badge(snapshot, n, at))], logger);
        }

        return snapshot;
    }

    public Task<FanLoyaltySnapshot> GetAsync() => Task.FromResult(Snapshot());

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
        state.State.HighWater);
}
