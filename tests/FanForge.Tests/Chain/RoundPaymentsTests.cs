using System.Text;
using FanForge.Grains.Algorand;
using FanForge.Grains.Algorand.Clients;
using FanForge.Grains.Chain;
using FanForge.GrainInterfaces.Loyalty;
using FanForge.Tests.Infrastructure;

namespace FanForge.Tests.Chain;

/// <summary>Reading payments from the chain's transactions (pure): the transfer is what counts, never a log.</summary>
public sealed class RoundPaymentsTests
{
    private const ulong AppId = 1001;
    private static readonly byte[] Ours = [0x0a, 1, 2, 3];
    private static readonly byte[] Foreign = [0x0a, 9, 9, 9];
    private static readonly string Fan = new TestWallet(201).Address;
    private static readonly string Other = new TestWallet(202).Address;
    private static readonly string Creator = new TestWallet(203).Address;
    private static readonly string AppAddress = AlgorandAddress.ForApplication(AppId).ToString();

    private static Dictionary<ulong, FollowedApp> Apps(string? refusal = null) => new() { [AppId] = new FollowedApp(Creator, AppId, refusal) };

    private static bool IsOurs(byte[] program) => program.AsSpan().SequenceEqual(Ours);

    /// <summary>[pay, tip call] in round <paramref name="round"/> at offsets <paramref name="offset"/> and + 1.</summary>
    private static IndexerTransaction[] TipGroup(ulong round, ulong offset, ulong amount, string memo = "", string? sender = null, string? receiver = null, byte group = 1,
        ulong appId = AppId, string method = "tip", byte[]? log = null)
    {
        var groupId = Enumerable.Repeat(group, 32).ToArray();
        var pay = new IndexerTransaction
        {
            Id = $"PAY-{round}-{offset}", TxType = "pay", Sender = sender ?? Fan, ConfirmedRound = round, IntraRoundOffset = offset, Group = groupId,
            PaymentAmount = amount, PaymentReceiver = receiver ?? AppAddress, RoundTime = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000 + (long)round),
        };
        var call = new IndexerTransaction
        {
            Id = $"CALL-{round}-{offset}", TxType = "appl", Sender = sender ?? Fan, ConfirmedRound = round, IntraRoundOffset = offset + 1, Group = groupId,
            ApplicationId = appId, OnCompletion = "noop", ApplicationArgs = [Encoding.ASCII.GetBytes(method), Encoding.UTF8.GetBytes(memo)],
            Logs = log is null ? [] : [log],
        };
        return [pay, call];
    }

    private static IndexerTransaction Update(ulong round, ulong offset, byte[] program) => new()
    {
        Id = $"UPD-{round}-{offset}", TxType = "appl", Sender = Creator, ConfirmedRound = round, IntraRoundOffset = offset,
        ApplicationId = AppId, OnCompletion = "update", ApprovalProgram = program,
    };

    [Fact]
    public void A_tip_group_is_credited_with_the_payment_it_moved_and_the_calls_memo()
    {
        // The call's log claims 1,000 ALGO from someone else: the follower never reads it.
        var forgedLog = new byte[40 + 4];
        AlgorandAddress.Parse(Other).PublicKey.CopyTo(forgedLog, 0);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(forgedLog.AsSpan(32), 1_000_000_000);

        var read = RoundPayments.Read(TipGroup(1200, 3, 1_500_000, "thanks!", log: forgedLog), Apps(), IsOurs);

        var payment = Assert.Single(read.Payments);
        Assert.Equal(new ChainTip(Fan, Creator, 1_500_000, "thanks!", new ChainPosition(1200, 3), "PAY-1200-3", DateTimeOffset.FromUnixTimeSeconds(1_700_001_200)), payment);
        Assert.Empty(read.Refused);
    }

    [Fact]
    public void Anything_but_a_fans_payment_grouped_with_its_tip_call_earns_nothing()
    {
        IndexerTransaction[] bare = [TipGroup(1, 0, 1_000_000)[0]];
        var callOnly = new[] { TipGroup(1, 0, 1_000_000)[1] with { IntraRoundOffset = 0 } };
        var otherSender = TipGroup(1, 0, 1_000_000);
        otherSender[0] = otherSender[0] with { Sender = Other };
        var otherReceiver = TipGroup(1, 0, 1_000_000, receiver: Other);
        var otherGroup = TipGroup(1, 0, 1_000_000);
        otherGroup[1] = otherGroup[1] with { Group = Enumerable.Repeat((byte)7, 32).ToArray() };
        var notAdjacent = TipGroup(1, 0, 1_000_000);
        notAdjacent[1] = notAdjacent[1] with { IntraRoundOffset = 5 };
        var unregistered = TipGroup(1, 0, 1_000_000, appId: 4242);
        var withdraw = TipGroup(1, 0, 1_000_000, method: "withdraw");
        var zero = TipGroup(1, 0, 0);

        foreach (var transactions in new[] { bare, callOnly, otherSender, otherReceiver, otherGroup, notAdjacent, unregistered, withdraw, zero })
        {
            var read = RoundPayments.Read(transactions, Apps(), IsOurs);
            Assert.Empty(read.Payments);
            Assert.Empty(read.Refused);
        }
    }

    [Fact]
    public void A_foreign_update_stops_crediting_from_its_own_position_and_an_update_back_to_ours_restores_it()
    {
        IndexerTransaction[] rounds =
        [
            .. TipGroup(10, 0, 1_000_000, "before"),
            Update(10, 2, Foreign),
            .. TipGroup(10, 3, 2_000_000, "during"),
            .. TipGroup(11, 0, 3_000_000, "still during"),
            Update(12, 0, Ours),
            .. TipGroup(12, 1, 4_000_000, "after"),
        ];
        var apps = Apps();

        var read = RoundPayments.Read(rounds, apps, IsOurs);

        Assert.Equal(["before", "after"], read.Payments.Select(p => p.Memo));
        Assert.Equal(["during", "still during"], read.Refused.Select(p => p.Memo));
        Assert.Equal([new ChainPosition(10, 2), new ChainPosition(12, 0)], read.ProgramChanges.Select(c => c.Position));
        Assert.NotNull(read.ProgramChanges[0].Refusal);
        Assert.Null(read.ProgramChanges[1].Refusal);
        Assert.Null(apps[AppId].Refusal); // the caller's map is left alone: the caller records the changes
    }

    [Fact]
    public void An_app_known_to_run_a_foreign_program_earns_nothing()
    {
        var read = RoundPayments.Read(TipGroup(5, 0, 1_000_000), Apps("not ours"), IsOurs);
        Assert.Empty(read.Payments);
        Assert.Equal("PAY-5-0", Assert.Single(read.Refused).TxId);
    }
}
