using FanForge.Grains.Algorand;
using FanForge.Grains.Algorand.Simulation;
using static FanForge.Tests.Algorand.Simulation.ChainHarness;

namespace FanForge.Tests.Algorand.Simulation;

/// <summary>ASA rules the badge and sticker flows depend on: opt-in, default-frozen, clawback delivery.</summary>
public sealed class AssetSimulationTests
{
    private readonly ChainHarness harness = new();

    private SimulatedChain Chain => harness.Chain;

    private Ed25519TransactionSigner Platform => harness.Platform;

    private ulong CreateAsset(ITransactionSigner creator, AssetParams parameters) =>
        Chain.GetPending(Accepted(harness.Submit(harness.Header(TransactionType.AssetConfig, creator.Address) with { AssetParams = parameters }, creator)))!.AssetIndex!.Value;

    private Transaction OptIn(ITransactionSigner fan, ulong assetId) =>
        harness.Header(TransactionType.AssetTransfer, fan.Address) with { TransferAssetId = assetId, AssetReceiver = fan.Address };

    private Transaction Send(AlgorandAddress from, AlgorandAddress to, ulong assetId, ulong amount = 1) =>
        harness.Header(TransactionType.AssetTransfer, from) with { TransferAssetId = assetId, AssetReceiver = to, AssetAmount = amount };

    private AssetParams Soulbound => new()
    {
        Total = 1,
        Decimals = 0,
        DefaultFrozen = true,
        UnitName = "BADGE",
        AssetName = "Butki badge",
        Url = "ipfs://bafy#arc3",
        Manager = Platform.Address,
        Reserve = Platform.Address,
        Freeze = Platform.Address,
        Clawback = Platform.Address,
    };

    [Fact]
    public void A_soulbound_badge_is_delivered_by_clawback_and_cannot_move_on()
    {
        var assetId = CreateAsset(Platform, Soulbound);
        var (fan, friend) = (harness.NewWallet(), harness.NewWallet());
        Accepted(harness.Submit(OptIn(fan, assetId), fan));
        Accepted(harness.Submit(OptIn(friend, assetId), friend));
        Assert.Equal(new(assetId, 0, true), Chain.GetAccountAsset(fan.Address, assetId));

        var plain = Rejected(harness.Submit(Send(Platform.Address, fan.Address, assetId), Platform), "frozen");
        Assert.Contains($"asset {assetId} frozen in {fan.Address}", plain, StringComparison.Ordinal);

        Accepted(harness.Submit(Send(Platform.Address, fan.Address, assetId) with { AssetSender = Platform.Address }, Platform));
        Assert.Equal(new(assetId, 1, true), Chain.GetAccountAsset(fan.Address, assetId));
        Assert.Equal(new(assetId, 0, false), Chain.GetAccountAsset(Platform.Address, assetId));

        Rejected(harness.Submit(Send(fan.Address, friend.Address, assetId), fan), "frozen");
        Rejected(harness.Submit(Send(fan.Address, friend.Address, assetId) with { AssetSender = fan.Address }, fan), "clawback");
        Assert.Equal(1UL, Chain.GetAccountAsset(fan.Address, assetId)!.Amount);

        var info = Chain.GetAsset(assetId);
        Assert.NotNull(info);
        Assert.Equal((Platform.Address.ToString(), 1UL, 0UL, true, "BADGE", Platform.Address.ToString()),
            (info.Params.Creator, info.Params.Total, info.Params.Decimals, info.Params.DefaultFrozen, info.Params.UnitName, info.Params.Clawback));
        Assert.Equal(200_000UL, Chain.GetAccount(fan.Address).MinBalance);
    }

    [Fact]
    public void A_frozen_holder_can_still_give_the_badge_back_to_the_creator()
    {
        var assetId = CreateAsset(Platform, Soulbound);
        var fan = harness.NewWallet();
        Accepted(harness.Submit(OptIn(fan, assetId), fan));
        Accepted(harness.Submit(Send(Platform.Address, fan.Address, assetId) with { AssetSender = Platform.Address }, Platform));

        Accepted(harness.Submit(Send(fan.Address, Platform.Address, assetId, 0) with { AssetCloseTo = Platform.Address }, fan));

        Assert.Null(Chain.GetAccountAsset(fan.Address, assetId));
        Assert.Equal(1UL, Chain.GetAccountAsset(Platform.Address, assetId)!.Amount);
    }

    [Fact]
    public void A_transfer_needs_the_receivers_opt_in()
    {
        var creator = harness.NewWallet();
        var assetId = CreateAsset(creator, new AssetParams { Total = 100, UnitName = "GOLD", Manager = creator.Address });
        var fan = harness.NewWallet();

        var refused = Rejected(harness.Submit(Send(creator.Address, fan.Address, assetId, 5), creator), "must optin");
        Assert.Contains($"receiver error: must optin, asset {assetId} missing from {fan.Address}", refused, StringComparison.Ordinal);

        Accepted(harness.Submit(OptIn(fan, assetId), fan));
        Accepted(harness.Submit(Send(creator.Address, fan.Address, assetId, 5), creator));
        Assert.Equal(new(assetId, 5, false), Chain.GetAccountAsset(fan.Address, assetId));
        Rejected(harness.Submit(Send(fan.Address, creator.Address, assetId, 6), fan), "overspend");
        Rejected(harness.Submit(OptIn(fan, assetId + 50), fan), "does not exist");
    }

    [Fact]
    public void An_opt_in_needs_the_minimum_balance_it_locks()
    {
        var assetId = CreateAsset(Platform, Soulbound);
        var fan = harness.NewWallet(150_000);

        Rejected(harness.Submit(OptIn(fan, assetId), fan), "overspend");
        Assert.Null(Chain.GetAccountAsset(fan.Address, assetId));
    }

    [Fact]
    public void Freeze_is_the_freeze_address_only_and_destroy_needs_every_unit_back()
    {
        var creator = harness.NewWallet();
        var parameters = new AssetParams { Total = 10, UnitName = "TOK", Manager = creator.Address, Freeze = creator.Address };
        var assetId = CreateAsset(creator, parameters);
        var fan = harness.NewWallet();
        Accepted(harness.Submit(OptIn(fan, assetId), fan));
        Accepted(harness.Submit(Send(creator.Address, fan.Address, assetId, 3), creator));
        var freeze = harness.Header(TransactionType.AssetFreeze, creator.Address) with { FreezeAssetId = assetId, FreezeAccount = fan.Address, AssetFrozen = true };

        Rejected(harness.Submit(freeze with { Sender = fan.Address }, fan), "freeze not allowed");
        Accepted(harness.Submit(freeze, creator));
        Rejected(harness.Submit(Send(fan.Address, creator.Address, assetId, 1), fan), "frozen");

        var destroy = harness.Header(TransactionType.AssetConfig, creator.Address) with { ConfigAssetId = assetId };
        Rejected(harness.Submit(destroy, creator), "cannot destroy");
        Accepted(harness.Submit(Send(fan.Address, creator.Address, assetId, 0) with { AssetCloseTo = creator.Address }, fan));
        Accepted(harness.Submit(destroy, creator));

        Assert.Null(Chain.GetAsset(assetId));
        Assert.Empty(Chain.GetAccount(creator.Address).Assets);
    }

    /// <summary>A golden Shawty token as the platform mints it: transferable, with every role the platform's.</summary>
    private AssetParams Golden => Soulbound with { DefaultFrozen = false, UnitName = "SHAWTY", AssetName = "Shawty token" };

    private Transaction Clawback(ulong assetId, AlgorandAddress from, AlgorandAddress to) =>
        Send(Platform.Address, to, assetId) with { AssetSender = from };

    private Transaction Freeze(ulong assetId, AlgorandAddress holder, bool frozen) =>
        harness.Header(TransactionType.AssetFreeze, Platform.Address) with { FreezeAssetId = assetId, FreezeAccount = holder, AssetFrozen = frozen };

    [Fact]
    public void A_claimed_shawty_token_is_locked_unlocked_and_burned_with_the_platforms_freeze_and_clawback()
    {
        var assetId = CreateAsset(Platform, Golden);
        var (fan, friend) = (harness.NewWallet(), harness.NewWallet());
        Accepted(harness.Submit(OptIn(fan, assetId), fan));
        Accepted(harness.Submit(OptIn(friend, assetId), friend));
        Accepted(harness.Submit(Clawback(assetId, Platform.Address, fan.Address), Platform)); // the claim

        // Lock: [clawback of the unit from the holder to itself, freeze], atomic. The frozen holder cannot move it.
        Accepted(harness.Submit((Clawback(assetId, fan.Address, fan.Address), Platform), (Freeze(assetId, fan.Address, true), Platform)));
        Assert.Equal(new(assetId, 1, true), Chain.GetAccountAsset(fan.Address, assetId));
        Rejected(harness.Submit(Send(fan.Address, friend.Address, assetId), fan), $"asset {assetId} frozen in {fan.Address}");

        // Unlock, then the holder's own transfer goes through.
        Accepted(harness.Submit(Freeze(assetId, fan.Address, false), Platform));
        Accepted(harness.Submit(Send(fan.Address, friend.Address, assetId), fan));
        Assert.Equal((0UL, 1UL), (Chain.GetAccountAsset(fan.Address, assetId)!.Amount, Chain.GetAccountAsset(friend.Address, assetId)!.Amount));

        // A lock of the holding the token left fails whole: the clawback finds no unit, so the freeze does not land either.
        Rejected(harness.Submit((Clawback(assetId, fan.Address, fan.Address), Platform), (Freeze(assetId, fan.Address, true), Platform)), "overspend");
        Assert.False(Chain.GetAccountAsset(fan.Address, assetId)!.IsFrozen);

        // Burn of a frozen holding: clawback to the platform (freeze does not hold a clawback) and destroy, atomic.
        Accepted(harness.Submit((Clawback(assetId, friend.Address, friend.Address), Platform), (Freeze(assetId, friend.Address, true), Platform)));
        var destroy = harness.Header(TransactionType.AssetConfig, Platform.Address) with { ConfigAssetId = assetId };
        Accepted(harness.Submit((Clawback(assetId, friend.Address, Platform.Address), Platform), (destroy, Platform)));
        Assert.Null(Chain.GetAsset(assetId));
        Assert.Equal(0UL, Chain.GetAccountAsset(friend.Address, assetId)!.Amount);
        Assert.DoesNotContain(Chain.GetAccount(Platform.Address).Assets, a => a.AssetId == assetId);
        // The emptied holding of the destroyed asset can still be dropped by its holder.
        Accepted(harness.Submit(Send(friend.Address, friend.Address, assetId, 0) with { AssetCloseTo = Platform.Address }, friend));
        Assert.Null(Chain.GetAccountAsset(friend.Address, assetId));
    }
}
