using FanForge.GrainInterfaces.Loyalty;
using FanForge.GrainInterfaces.Nfts;
using FanForge.GrainInterfaces.Shawty;

namespace FanForge.Grains.Shawty;

[GenerateSerializer, Alias("ff.FanShawtyState")]
public sealed class FanShawtyState
{
    /// <summary>Purchases whose token has not landed yet, by purchase transaction.</summary>
    [Id(0)] public Dictionary<string, ChainTip> Pending { get; set; } = [];

    /// <summary>Tokens the fan holds, by asset id.</summary>
    [Id(1)] public Dictionary<ulong, NftRecord> Tokens { get; set; } = [];
}

/// <summary>Key: fan wallet. Mints one token per purchase and retries until each has landed.</summary>
[GrainType("ff.fan-shawty")]
public sealed class FanShawtyGrain(
    [PersistentState("fan-shawty", StorageNames.Default)] IPersistentState<FanShawtyState> state) : Grain, IFanShawty, IRemindable
{
    private const string MintRetryReminder = "shawty-mint-retry";
    private static readonly TimeSpan RetryPeriod = TimeSpan.FromMinutes(1);

    public async Task ApplyPurchaseAsync(ChainTip payment)
    {
        if (state.State.Tokens.Values.Any(t => t.TxId == payment.TxId) || !state.State.Pending.TryAdd(payment.TxId, payment))
        {
            return;
        }

        await this.RegisterOrUpdateReminder(MintRetryReminder, RetryPeriod, RetryPeriod);
        await state.WriteStateAsync();
        await StartMintAsync(payment);
    }

    public async Task TokenMintedAsync(string purchaseTxId, NftRecord minted)
    {
        if (!state.State.Pending.Remove(purchaseTxId))
        {
            return;
        }

        state.State.Tokens[minted.AssetId] = minted;
        await state.WriteStateAsync();
        if (state.State.Pending.Count == 0 && await this.GetReminder(MintRetryReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

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
