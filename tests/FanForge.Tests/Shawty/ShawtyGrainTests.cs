using System.Security.Cryptography;
using FanForge.Api.Shawty;
using FanForge.GrainInterfaces.Errors;
using FanForge.GrainInterfaces.Loyalty;
using FanForge.GrainInterfaces.Nfts;
using FanForge.GrainInterfaces.Shawty;
using FanForge.Tests.Infrastructure;

namespace FanForge.Tests.Shawty;

[Collection(ClusterCollection.Name)]
public sealed class ShawtyGrainTests(InProcessClusterFixture cluster)
{
    private static int round;

    private IGrainFactory Grains => cluster.Client;

    private static string NewWallet() => new TestWallet(RandomNumberGenerator.GetBytes(32)).Address;

    private static ChainTip Purchase(string creator, string fan, long micro = 2_000_000)
    {
        var r = (ulong)Interlocked.Increment(ref round);
        return new ChainTip(fan, creator, micro, "PURCHASE:SHAWTY", new ChainPosition(r, 0), $"SHAWTY-{fan[..10]}-{r}",
            new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(r));
    }

    private IFanShawty Wallet(string fan) => Grains.GetGrain<IFanShawty>(fan);

    private IShawtyToken Token(ulong assetId) => Grains.GetGrain<IShawtyToken>((long)assetId);

    /// <summary>The fan's tokens as the API reads them: the wallet's index, each entry checked against its token.</summary>
    private Task<IReadOnlyList<ShawtyTokenView>> TokensAsync(string fan, bool includeSpent) => ShawtyHoldings.ReadAsync(Grains, fan, includeSpent);

    private Task<IReadOnlyList<ShawtyTokenView>> TokensWhenAsync(string fan, int count) => ClusterHosts.EventuallyAsync(
        () => TokensAsync(fan, includeSpent: true), t => t.Count == count, TimeSpan.FromSeconds(15), $"{count} Shawty tokens for the fan");

    /// <summary>Buys a token the way the chain watcher delivers a purchase (through the pair) and waits until it is issued.</summary>
    private async Task<(ShawtyTokenView Token, ChainTip Payment)> BuyAsync(string creator, string fan)
    {
        var before = (await TokensAsync(fan, includeSpent: true)).Count;
        var payment = Purchase(creator, fan);
        await Grains.GetGrain<ICreatorPayments>(creator).ApplyAsync([payment]);
        var tokens = await TokensWhenAsync(fan, before + 1);
        return (tokens.Single(t => t.PurchaseTxId == payment.TxId), payment);
    }

    private static async Task<DomainException> RefusedAsync(Func<Task> write) => await Assert.ThrowsAsync<DomainException>(write);

    [Fact]
    public async Task A_purchase_delivered_again_through_the_pair_and_directly_mints_exactly_one_token()
    {
        var (creator, fan) = (NewWallet(), NewWallet());
        var (token, payment) = await BuyAsync(creator, fan);

        await Grains.GetGrain<ICreatorPayments>(creator).ApplyAsync([payment]);
        await Grains.GetGrain<IFanLoyalty>(FanLoyaltyKey.For(creator, fan)).ApplyAsync([new PricedTip(payment, CountsForButki: false)]);
        var direct = await Task.WhenAll(Wallet(fan).ApplyPurchaseAsync(payment), Wallet(fan).ApplyPurchaseAsync(payment));

        Assert.Equal([false, false], direct); // recognised at once, not queued for another mint
        Assert.Equal(0, await Wallet(fan).GetPendingCountAsync());
        await Task.Delay(300);
        var only = Assert.Single(await TokensAsync(fan, includeSpent: true));
        Assert.Equal((token.AssetId, payment.TxId, 2_000_000L, payment.ConfirmedAt, creator), (only.AssetId, only.PurchaseTxId, only.AmountPaidMicroAlgo, only.PurchasedAt, only.Creator));
        Assert.Equal(ShawtyStatus.Active, only.Status);
        Assert.NotEqual(fan, only.LedgerHolder); // minted into platform custody
        var nft = Assert.Single(await Grains.GetGrain<IFanNfts>(fan).GetAllAsync());
        Assert.Equal((token.AssetId, "shawty"), (nft.AssetId, nft.NftClass));
        Assert.Equal(token.AssetId, (await Grains.GetGrain<INftMint>(MintRequest.Shawty(payment).Key).GetAsync())!.AssetId);
    }

    [Fact]
    public async Task A_repeated_mint_notice_issues_nothing_new()
    {
        var (creator, fan) = (NewWallet(), NewWallet());
        var (token, payment) = await BuyAsync(creator, fan);
        var request = MintRequest.Shawty(payment);
        var minted = await Grains.GetGrain<INftMint>(request.Key).MintAsync(request); // the mint lands again: a repeated notice

        var again = await Token(token.AssetId).IssueAsync(new ShawtyIssue(NewWallet(), creator, "OTHER-TX", 9, DateTimeOffset.UnixEpoch, minted));

        Assert.Equal((fan, payment.TxId, 2_000_000L), (again.Owner, again.PurchaseTxId, again.AmountPaidMicroAlgo));
        Assert.Single(await TokensAsync(fan, includeSpent: true));
        Assert.Single(await Grains.GetGrain<IFanNfts>(fan).GetAllAsync());
        Assert.Equal(0, await Wallet(fan).GetPendingCountAsync());
    }

    [Fact]
    public async Task A_repeated_mint_notice_after_a_transfer_keeps_the_token_with_its_new_owner_only()
    {
        var (creator, fan, friend) = (NewWallet(), NewWallet(), NewWallet());
        var (token, payment) = await BuyAsync(creator, fan);
        await Token(token.AssetId).TransferAsync(fan, friend);

        var request = MintRequest.Shawty(payment);
        await Grains.GetGrain<INftMint>(request.Key).MintAsync(request); // files the NFT with the buyer again, then issues

        Assert.Equal(friend, (await Token(token.AssetId).GetAsync())!.Owner);
        Assert.Empty(await TokensAsync(fan, includeSpent: true));
        Assert.Empty(await Wallet(fan).GetHeldAsync());
        Assert.Empty(await Grains.GetGrain<IFanNfts>(fan).GetAllAsync()); // the notice took back what the mint filed again
        Assert.Equal(token.AssetId, Assert.Single(await TokensAsync(friend, includeSpent: true)).AssetId);
        var moved = Assert.Single(await Grains.GetGrain<IFanNfts>(friend).GetAllAsync());
        Assert.Equal((token.AssetId, friend), (moved.AssetId, moved.OwnerWallet));
    }

    [Fact]
    public async Task A_transfer_and_a_repeated_mint_notice_running_together_both_complete_with_one_owner()
    {
        var (creator, fan, friend) = (NewWallet(), NewWallet(), NewWallet());
        for (var attempt = 0; attempt < 4; attempt++)
        {
            var (token, payment) = await BuyAsync(creator, fan);
            var request = MintRequest.Shawty(payment);
            var writes = new Func<Task>[]
            {
                () => Token(token.AssetId).TransferAsync(fan, friend),
                () => Grains.GetGrain<INftMint>(request.Key).MintAsync(request),
            };

            // Either may start first. A call cycle between the token and the wallets would hang both until the call
            // timeout; here they must both finish well before it.
            Func<Task>[] order = attempt % 2 == 0 ? writes : [writes[1], writes[0]];
            await Task.WhenAll(order.Select(write => Task.Run(write))).WaitAsync(TimeSpan.FromSeconds(20));

            Assert.Equal(friend, (await Token(token.AssetId).GetAsync())!.Owner);
            Assert.DoesNotContain(token.AssetId, (await TokensAsync(fan, includeSpent: true)).Select(t => t.AssetId));
            Assert.DoesNotContain(token.AssetId, await Wallet(fan).GetHeldAsync());
            Assert.DoesNotContain(token.AssetId, (await Grains.GetGrain<IFanNfts>(fan).GetAllAsync()).Select(n => n.AssetId));
            Assert.Contains(token.AssetId, (await TokensAsync(friend, includeSpent: true)).Select(t => t.AssetId));
            Assert.Contains(token.AssetId, (await Grains.GetGrain<IFanNfts>(friend).GetAllAsync()).Select(n => n.AssetId));
            Assert.Equal(0, await Wallet(fan).GetPendingCountAsync());
        }

        Assert.Equal(4, (await TokensAsync(friend, includeSpent: true)).Count);
        Assert.Empty(await TokensAsync(fan, includeSpent: true));
    }

    [Fact]
    public async Task Concurrent_burn_lock_and_transfer_of_one_token_let_exactly_one_through()
    {
        var (creator, fan, friend) = (NewWallet(), NewWallet(), NewWallet());
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var (token, _) = await BuyAsync(creator, fan);
            var writes = new Func<Task>[]
            {
                () => Token(token.AssetId).BurnAsync(fan, "T-shirt"),
                () => Token(token.AssetId).LockAsync(fan, "10% off"),
                () => Token(token.AssetId).TransferAsync(fan, friend),
            };
            // Started in a rotating order so that each write gets to go first once.
            var outcomes = await Task.WhenAll(writes.Skip(attempt).Concat(writes.Take(attempt)).Select(async write =>
            {
                try
                {
                    await write();
                    return null;
                }
                catch (DomainException e)
                {
                    return e;
                }
            }));

            Assert.Single(outcomes, o => o is null);
            Assert.All(outcomes.OfType<DomainException>(), e =>
            {
                Assert.Equal(DomainErrorKind.Conflict, e.Kind);
                Assert.Contains(e.Code, new[] { ShawtyErrors.AlreadyBurned, ShawtyErrors.AlreadyLocked, ShawtyErrors.Transferred });
            });
            var after = (await Token(token.AssetId).GetAsync())!;
            Assert.Single(after.Audit);
        }
    }

    [Fact]
    public async Task Only_the_owner_may_burn_lock_or_transfer()
    {
        var (creator, fan, stranger) = (NewWallet(), NewWallet(), NewWallet());
        var (token, _) = await BuyAsync(creator, fan);

        var burn = await RefusedAsync(() => Token(token.AssetId).BurnAsync(stranger, "T-shirt"));
        var lockIt = await RefusedAsync(() => Token(token.AssetId).LockAsync(stranger, "10% off"));
        var give = await RefusedAsync(() => Token(token.AssetId).TransferAsync(stranger, NewWallet()));

        Assert.All(new[] { burn, lockIt, give }, e => Assert.Equal((DomainErrorKind.Forbidden, ShawtyErrors.NotOwner), (e.Kind, e.Code)));
        var unchanged = (await Token(token.AssetId).GetAsync())!;
        Assert.Equal((fan, ShawtyStatus.Active, 0), (unchanged.Owner, unchanged.Status, unchanged.Audit.Count));
    }

    [Fact]
    public async Task Unknown_tokens_are_404_and_giving_to_oneself_is_400()
    {
        var (creator, fan) = (NewWallet(), NewWallet());
        var unknown = await RefusedAsync(() => Token((ulong)RandomNumberGenerator.GetInt32(1_000_000_000, int.MaxValue)).BurnAsync(fan, "T-shirt"));
        var (token, _) = await BuyAsync(creator, fan);
        var self = await RefusedAsync(() => Token(token.AssetId).TransferAsync(fan, fan));

        Assert.Equal((DomainErrorKind.NotFound, ShawtyErrors.TokenNotFound), (unknown.Kind, unknown.Code));
        Assert.Equal((DomainErrorKind.Validation, ShawtyErrors.TransferToSelf), (self.Kind, self.Code));
    }

    [Fact]
    public async Task A_burned_token_is_no_longer_usable_and_a_retried_burn_returns_the_first_result()
    {
        var (creator, fan) = (NewWallet(), NewWallet());
        var (token, _) = await BuyAsync(creator, fan);
        cluster.Time.Advance(TimeSpan.FromMinutes(5));

        var first = await Token(token.AssetId).BurnAsync(fan, "T-shirt XL");
        cluster.Time.Advance(TimeSpan.FromMinutes(5));
        var retry = await Token(token.AssetId).BurnAsync(fan, "T-shirt XL");
        var other = await RefusedAsync(() => Token(token.AssetId).BurnAsync(fan, "Hoodie"));
        var lockIt = await RefusedAsync(() => Token(token.AssetId).LockAsync(fan, "10% off"));

        Assert.Equal((ShawtyStatus.Burned, false), (first.Status, first.IsRedeemable));
        Assert.Equal(first.Audit, retry.Audit); // the first burn's entry and time, not a second one
        var entry = Assert.Single(retry.Audit);
        Assert.Equal((ShawtyEntryTypes.BurnMerch, "T-shirt XL", fan, cluster.Time.GetUtcNow().AddMinutes(-5)), (entry.Type, entry.Description, entry.ByWallet, entry.At));
        Assert.Equal(ShawtyErrors.AlreadyBurned, other.Code);
        Assert.Equal(ShawtyErrors.AlreadyBurned, lockIt.Code);
        Assert.Empty(await TokensAsync(fan, includeSpent: false));
        var redemption = Assert.Single(await Wallet(fan).GetRedemptionsAsync(50));
        Assert.Equal((token.AssetId, ShawtyEntryTypes.BurnMerch, "T-shirt XL"), (redemption.AssetId, redemption.Type, redemption.Description));
    }

    [Fact]
    public async Task A_locked_token_cannot_be_burned_or_given_and_a_retried_lock_is_a_no_op()
    {
        var (creator, fan) = (NewWallet(), NewWallet());
        var (token, _) = await BuyAsync(creator, fan);

        var first = await Token(token.AssetId).LockAsync(fan, "10% off");
        var retry = await Token(token.AssetId).LockAsync(fan, "10% off");
        var burn = await RefusedAsync(() => Token(token.AssetId).BurnAsync(fan, "T-shirt"));
        var give = await RefusedAsync(() => Token(token.AssetId).TransferAsync(fan, NewWallet()));

        Assert.Equal(first, retry with { Audit = first.Audit });
        Assert.Equal(first.Audit, retry.Audit);
        Assert.Equal((ShawtyErrors.AlreadyLocked, ShawtyErrors.AlreadyLocked), (burn.Code, give.Code));
        Assert.True(Assert.Single(await TokensAsync(fan, includeSpent: true)).IsLocked);
        Assert.Equal(ShawtyEntryTypes.LockDiscount, Assert.Single(await Wallet(fan).GetRedemptionsAsync(50)).Type);
    }

    [Fact]
    public async Task A_transfer_moves_the_token_between_both_fans_indices_and_nft_inventories()
    {
        var (creator, fan, friend) = (NewWallet(), NewWallet(), NewWallet());
        var (token, _) = await BuyAsync(creator, fan);
        var (kept, _) = await BuyAsync(creator, fan);

        var given = await Token(token.AssetId).TransferAsync(fan, friend);

        Assert.Equal(friend, given.Owner);
        var transfer = Assert.Single(given.Audit);
        Assert.Equal((ShawtyEntryTypes.Transfer, fan, friend), (transfer.Type, transfer.ByWallet, transfer.ToWallet));
        Assert.Equal(kept.AssetId, Assert.Single(await TokensAsync(fan, includeSpent: true)).AssetId);
        Assert.Equal(token.AssetId, Assert.Single(await TokensAsync(friend, includeSpent: true)).AssetId);
        Assert.Equal(kept.AssetId, Assert.Single(await Grains.GetGrain<IFanNfts>(fan).GetAllAsync()).AssetId);
        var moved = Assert.Single(await Grains.GetGrain<IFanNfts>(friend).GetAllAsync());
        Assert.Equal((token.AssetId, friend, "shawty"), (moved.AssetId, moved.OwnerWallet, moved.NftClass));

        // The new owner may spend it; the former owner's stale request is a conflict, not a second spend.
        await Token(token.AssetId).BurnAsync(friend, "Poster");
        Assert.Equal(ShawtyErrors.Transferred, (await RefusedAsync(() => Token(token.AssetId).LockAsync(fan, "10% off"))).Code);
        Assert.Single(await Wallet(friend).GetRedemptionsAsync(50));
        Assert.Empty(await Wallet(fan).GetRedemptionsAsync(50));
    }

    [Fact]
    public async Task A_retried_transfer_returns_the_first_result_and_repairs_what_a_failure_left_undone()
    {
        var (creator, fan, friend) = (NewWallet(), NewWallet(), NewWallet());
        var (token, _) = await BuyAsync(creator, fan);
        var first = await Token(token.AssetId).TransferAsync(fan, friend);
        // As if the first attempt had died after the owner changed: the sender still lists it, the recipient does not.
        await Wallet(fan).AddHeldAsync(token.AssetId);
        await Wallet(friend).RemoveHeldAsync(token.AssetId);
        await Grains.GetGrain<IFanNfts>(fan).RecordAsync((await Grains.GetGrain<IFanNfts>(friend).GetAllAsync())[0] with { OwnerWallet = fan });

        var retry = await Token(token.AssetId).TransferAsync(fan, friend);
        var elsewhere = await RefusedAsync(() => Token(token.AssetId).TransferAsync(fan, NewWallet()));

        Assert.Equal(first.Audit, retry.Audit);
        Assert.Equal(friend, retry.Owner);
        Assert.Equal(ShawtyErrors.Transferred, elsewhere.Code);
        Assert.Empty(await TokensAsync(fan, includeSpent: true));
        Assert.Single(await TokensAsync(friend, includeSpent: true));
        Assert.Empty(await Grains.GetGrain<IFanNfts>(fan).GetAllAsync());
        Assert.Single(await Grains.GetGrain<IFanNfts>(friend).GetAllAsync());
    }

    [Fact]
    public async Task A_stale_index_entry_never_shows_a_token_under_two_owners()
    {
        var (creator, fan, friend) = (NewWallet(), NewWallet(), NewWallet());
        var (token, _) = await BuyAsync(creator, fan);

        // What a transfer that failed after indexing the recipient leaves behind.
        await Wallet(friend).AddHeldAsync(token.AssetId);

        Assert.Single(await TokensAsync(fan, includeSpent: true));
        Assert.Empty(await TokensAsync(friend, includeSpent: true));
    }

    [Fact]
    public async Task The_redemption_history_is_newest_first_counts_each_token_once_and_keeps_the_latest_200()
    {
        var fan = NewWallet();
        var start = new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero);
        // Delivered out of order, with a repeat.
        foreach (var i in Enumerable.Range(1, 205).Reverse().Append(42))
        {
            await Wallet(fan).RecordRedemptionAsync(new ShawtyRedemption((ulong)i, ShawtyEntryTypes.BurnMerch, $"item {i}", start.AddMinutes(i)));
        }

        var all = await Wallet(fan).GetRedemptionsAsync(200);
        Assert.Equal(200, all.Count);
        Assert.Equal([.. Enumerable.Range(6, 200).Reverse().Select(i => (ulong)i)], all.Select(r => r.AssetId));
        Assert.Equal([205UL, 204UL, 203UL], (await Wallet(fan).GetRedemptionsAsync(3)).Select(r => r.AssetId));
    }
}
