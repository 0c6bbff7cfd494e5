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
/// Key: fan wallet. Mints one token per purchase and retries until each is issued; indexes the fan's tokens and keeps
/// a bounded redemption history. It never calls a token grain: the tokens, which own the truth about owner and status,
/// tell it what changed (so a token waiting on this wallet can never be waited on by it), and readers ask the tokens.
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

    public async Task TokenIssuedAsync(string purchaseTxId, ulong assetId, bool stillOwned)
    {
        var changed = state.State.Pending.Remove(purchaseTxId);
        if (stillOwned)
        {
            changed |= state.State.Held.Add(assetId);
        }
        else
        {
            // Issued and given away before this notice (a repeated one): the repeated mint filed the NFT here again.
            changed |= state.State.Held.Remove(assetId);
            await GrainFactory.GetGrain<IFanNfts>(Fan).RemoveAsync(assetId);
        }

        if (!changed)
        {
            return;
        }

        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // The change is only in memory, and a repeated notice would find nothing left to do: drop this activation so
            // the repeat reads what was really stored (the purchase still pending, its reminder still registered).
            DeactivateOnIdle();
            throw;
        }

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
        history.TrimTo(ShawtyRules.RedemptionHistoryCapacity);

        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<ulong>> GetHeldAsync() => Task.FromResult<IReadOnlyList<ulong>>([.. state.State.Held]);

    public Task<IReadOnlyList<ShawtyRedemption>> GetRedemptionsAsync(int limit) =>
        Task.FromResult<IReadOnlyList<ShawtyRedemption>>([.. state.State.Redemptions.Take(limit)]);

    public Task<int> GetPendingCountAsync() => Task.FromResult(state.State.Pending.Count);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (state.State.Pending.Count == 0)
        {
            // Left behind when the last issue was stored but unregistering failed; nothing is left to retry.
            await this.UnregisterReminderIfAnyAsync(MintRetryReminder);
            return;
        }

        // Each restart finds the mint done or resumes it; a landed mint issues its token again, which is idempotent.
        foreach (var payment in state.State.Pending.Values)
        {
            await StartMintAsync(payment);
        }
    }

    private Task StartMintAsync(ChainTip payment)
    {
        var mint = MintRequest.Shawty(payment);
        return GrainFactory.GetGrain<INftMint>(mint.Key).StartAsync(mint);
    }
}
