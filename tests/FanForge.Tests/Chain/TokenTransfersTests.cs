using FanForge.Grains.Algorand.Clients;
using FanForge.Grains.Chain;
using FanForge.GrainInterfaces.Loyalty;
using FanForge.Tests.Infrastructure;

namespace FanForge.Tests.Chain;

/// <summary>Reading holders' own transfers of claimed Shawty tokens from the chain's transactions (pure).</summary>
public sealed class TokenTransfersTests
{
    private const ulong Token = 9001;
    private static readonly string Fan = new TestWallet(211).Address;
    private static readonly string Friend = new TestWallet(212).Address;
    private static readonly string Platform = new TestWallet(213).Address;
    private static readonly string Creator = new TestWallet(214).Address;
    private static readonly Dictionary<ulong, string> Watched = new() { [Token] = Creator };

    private static IndexerTransaction Axfer(ulong offset, string sender, string receiver, ulong amount = 1, ulong asset = Token, string? clawbackFrom = null, string? closeTo = null) => new()
    {
        Id = $"AXFER-{offset}", TxType = "axfer", Sender = sender, ConfirmedRound = 500, IntraRoundOffset = offset,
        RoundTime = DateTimeOffset.FromUnixTimeSeconds(1_700_000_500), AssetId = asset, AssetAmount = amount, AssetReceiver = receiver,
        AssetClawbackFrom = clawbackFrom, AssetCloseTo = closeTo,
    };

    [Fact]
    public void A_holders_transfer_and_close_out_of_a_watched_token_move_it_and_nothing_else_does()
    {
        IndexerTransaction[] round =
        [
            Axfer(0, Platform, Fan, clawbackFrom: Platform),            // the platform's claim: recorded by the token itself
            Axfer(1, Friend, Friend, amount: 0),                         // the friend's opt-in
            Axfer(2, Fan, Friend),                                       // the fan's own transfer
            Axfer(3, Friend, Friend, amount: 0, closeTo: Fan),           // a close-out that hands the unit back
            Axfer(4, Fan, Friend, asset: Token + 1),                     // another asset
            Axfer(5, Platform, Platform, clawbackFrom: Fan),             // the platform's burn
            Axfer(6, Fan, Fan, amount: 0),                               // a zero transfer to oneself that closes nothing
            new IndexerTransaction { Id = "PAY", TxType = "pay", Sender = Fan, ConfirmedRound = 500, IntraRoundOffset = 7, PaymentAmount = 1, PaymentReceiver = Friend },
        ];

        var transfers = TokenTransfers.Read(round, Watched, Platform);

        Assert.Equal(
            [(Fan, Friend, new ChainPosition(500, 2), "AXFER-2"), (Friend, Fan, new ChainPosition(500, 3), "AXFER-3")],
            transfers.Select(t => (t.From, t.To, t.Position, t.TxId)));
        Assert.All(transfers, t => Assert.Equal((Token, Creator, DateTimeOffset.FromUnixTimeSeconds(1_700_000_500)), (t.AssetId, t.Creator, t.ConfirmedAt)));
        Assert.Empty(TokenTransfers.Read(round, new Dictionary<ulong, string>(), Platform));
    }
}
