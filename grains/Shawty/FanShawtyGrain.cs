using FanForge.GrainInterfaces.Loyalty;
using FanForge.GrainInterfaces.Nfts;
using FanForge.GrainInterfaces.Shawty;

namespace FanForge.Grains.Shawty;

[GenerateSerializer, Alias("ff.FanShawtyState")]
public sealed class FanShawtyState
{
    /// <summary>Purchases whose token has not landed yet, by purchase transaction.</summary>
    [Id(0)] public Dictionary<string, ChainTip> Pending { get; set; } = [];

    // Id 1 held the first cut's copy of each token; the token grains are the record now, so it is retired.

    /// <summary>Every purchase transaction applied here: a redelivered purchase is recognised after its token left.</summary>
    [Id(2)] public HashSet<string> Purchases { get; set; } = [];

    /// <summary>Asset ids of tokens indexed here; the token grain decides whether this fan still owns each.</summary>
    [Id(3)] public HashSet<ulong> Held { get; set; } = [];

    /// <summary>Burns and locks, newest first, at most <see cref="ShawtyRules.RedemptionHistoryCapacity"/>.</summary>
    [Id(4)] public List<ShawtyRedemption> Redemptions { get; set; } = [];
}

/// <summary>
/// Key: fan wallet. Mints one token per purchase and retries until each has landed; indexes the fan's tokens and
/// keeps a bounded redemption history. Reads go to the token grains, which own the truth about owner and status.
/// </summary>
[GrainType("ff.fan-shawty")]
public sealed class FanShawtyGrain(
    [PersistentState("fan-shawty", StorageNames.Default)] IPersistentState<FanShawtyState> state) : Grain, IFanShawty, IRemindable
{
    private const string MintRetryReminder = "shawty-mint-retry";
    private static readonly TimeSpan RetryPeriod = TimeSpan.FromMinutes(1);

    private string Fan => this.GetPrimaryKeyString();

    public async Task<bool> ApplyPurchaseAsync(ChainTip payment)
    {
        if (!state.State.Purchases.Add(payment.TxId))
        {
            return false;
        }

        state.State.Pending[payment.TxId] = payment;
        await this.RegisterOrUpdateReminder(MintRetryReminder, RetryPeriod, RetryPeriod);
        await state.WriteStateAsync();
        await StartMintAsync(payment);
        return true;
    }

    public async Task TokenMintedAsync(string purchaseTxId, NftRecord minted)
    {
        if (!state.State.Pending.TryGetValue(purchaseTxId, out var payment))
        {
            return;
        }

        var token = await GrainFactory.GetGrain<IShawtyToken>((long)minted.AssetId).IssueAsync(
            new ShawtyIssue(Fan, payment.Creator, purchaseTxId, payment.AmountMicroAlgo, payment.ConfirmedAt, minted));
        if (token.Owner == Fan)
        {
            state.State.Held.Add(minted.AssetId);
        }
        else
        {
            // Issued and given away before this notice was recorded (a repeated notice): the minter just filed it here again.
            await GrainFactory.GetGrain<IFanNfts>(Fan).RemoveAsync(minted.AssetId);
        }

        state.State.Pending.Remove(purchaseTxId);
        await state.WriteStateAsync();
        if (state.State.Pending.Count == 0)
        {
            await this.UnregisterReminderIfAnyAsync(MintRetryReminder);
        }
    }

    public async Task AddHeldAsync(ulong assetId)
    {
        if (state.State.Held.Add(assetId))
        {
            await state.WriteStateAsync();
        }
    }

    public async Task RemoveHeldAsync(ulong assetId)
    {
        if (state.State.Held.Remove(assetId))
        {
            await state.WriteStateAsync();
        }
    }

    public async Task RecordRedemptionAsync(ShawtyRedemption redemption)
    {
        var history = state.State.Redemptions;
        if (history.Any(r => r.AssetId == redemption.AssetId))
        {
            return;
        }

        var at = history.FindIndex(r => r.RedeemedAt <= redemption.RedeemedAt);
        history.Insert(at < 0 ? history.Count : at, redemption);
        if (history.Count > ShawtyRules.RedemptionHistoryCapacity)
        {
            history.RemoveRange(ShawtyRules.RedemptionHistoryCapacity, history.Count - ShawtyRules.RedemptionHistoryCapacity);
        }

        await state.WriteStateAsync();
    }

    public async Task<IReadOnlyList<ShawtyTokenView>> GetTokensAsync(bool includeSpent)
    {
        var tokens = await Task.WhenAll(state.State.Held.Select(id => GrainFactory.GetGrain<IShawtyToken>((long)id).GetAsync()));
        // An entry whose token names another owner is a transfer in flight or one that failed halfway: not this fan's.
        return
        [
            .. tokens.OfType<ShawtyTokenView>()
                .Where(t => t.Owner == Fan && (includeSpent || t.IsRedeemable))
                .OrderByDescending(t => t.PurchasedAt).ThenByDescending(t => t.AssetId),
        ];
    }

    public Task<IReadOnlyList<ShawtyRedemption>> GetRedemptionsAsync(int limit) =>
        Task.FromResult<IReadOnlyList<ShawtyRedemption>>([.. state.State.Redemptions.Take(limit)]);

    public Task<int> GetPendingCountAsync() => Task.FromResult(state.State.Pending.Count);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        foreach (var payment in state.State.Pending.Values)
        {
            await StartMintAsync(payment);
        }
    }

    private Task StartMintAsync(ChainTip payment)
    {
        var mint = MintRequest.Shawty(payment.Creator, payment.Fan, payment.TxId);
        return GrainFactory.GetGrain<INftMint>(mint.Key).StartAsync(mint);
    }
}
