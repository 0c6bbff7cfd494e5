using System.Text;
using FanForge.Grains.Algorand;
using FanForge.Grains.Algorand.Clients;
using FanForge.GrainInterfaces.Loyalty;

namespace FanForge.Grains.Chain;

/// <summary>
/// A registered TipProxy app as the follower tracks it: whose it is and whether the program it runs now is one we
/// ship (<see cref="Refusal"/> null) or why its payments earn nothing.
/// </summary>
[GenerateSerializer, Alias("ff.FollowedApp")]
public sealed record FollowedApp(
    [property: Id(0)] string Creator,
    [property: Id(1)] ulong AppId,
    [property: Id(2)] string? Refusal)
{
    /// <summary>The app's account, which every tip must pay.</summary>
    public string Address => AlgorandAddress.ForApplication(AppId).ToString();
}

/// <summary>An app's program changed at <paramref name="Position"/>: <paramref name="Refusal"/> null means it is ours again.</summary>
public sealed record ProgramChange(ulong AppId, string Creator, string? Refusal, ChainPosition Position);

/// <summary>What whole rounds held for the registered apps.</summary>
/// <param name="Payments">Credited payments, in chain order.</param>
/// <param name="Refused">Tips to apps whose program is not ours: they earn nothing.</param>
/// <param name="ProgramChanges">Updates and deletions of registered apps, in chain order.</param>
public sealed record RoundRead(IReadOnlyList<ChainTip> Payments, IReadOnlyList<ChainTip> Refused, IReadOnlyList<ProgramChange> ProgramChanges);

/// <summary>
/// Reads payments from the chain's own transactions, pure (no grain, no I/O). A payment is a <c>pay</c> transaction
/// from the fan to a registered app's account, immediately followed in the same group by the fan's <c>tip</c> call to
/// that app: the amount is what moved, never what a program logged, so a creator who swaps the program cannot
/// invent tips. Anything else (a bare payment to the app, a call without its payment, another app) earns nothing.
/// </summary>
public static class RoundPayments
{
    private static readonly byte[] TipMethod = "tip"u8.ToArray();

    /// <summary>
    /// Reads <paramref name="transactions"/> (whole rounds, ordered by round and offset) against the registered
    /// <paramref name="apps"/> as they stood before these rounds. A program change inside the rounds applies from its
    /// own position on, so a tip after a foreign update in the same round earns nothing while one before it counts; the
    /// changes come back for the caller to record. <paramref name="isOurProgram"/> says whether approval-program bytes
    /// are a TipProxy version we ship.
    /// </summary>
    public static RoundRead Read(IReadOnlyList<IndexerTransaction> transactions, IReadOnlyDictionary<ulong, FollowedApp> apps, Func<byte[], bool> isOurProgram)
    {
        var payments = new List<ChainTip>();
        var refused = new List<ChainTip>();
        var changes = new List<ProgramChange>();
        // Only the apps changed inside these rounds: the registered ones are never copied, however many there are.
        var changed = new Dictionary<ulong, FollowedApp>();
        for (var index = 0; index < transactions.Count; index++)
        {
            var call = transactions[index];
            if (call.TxType != "appl" || call.ApplicationId is not { } appId
                || !(changed.TryGetValue(appId, out var app) || apps.TryGetValue(appId, out app)))
            {
                continue;
            }

            switch (call.OnCompletion)
            {
                case "update":
                    var refusal = call.ApprovalProgram is { } program && isOurProgram(program)
                        ? null
                        : "its approval program was replaced by one FanForge does not ship; its payments earn nothing";
                    changed[appId] = app with { Refusal = refusal };
                    changes.Add(new ProgramChange(appId, app.Creator, refusal, PositionOf(call)));
                    continue;
                case "delete":
                    changed[appId] = app with { Refusal = "the app was deleted" };
                    changes.Add(new ProgramChange(appId, app.Creator, changed[appId].Refusal, PositionOf(call)));
                    continue;
                case "noop":
                    break;
                default:
                    continue;
            }

            if (index == 0 || TryPayment(transactions[index - 1], call, app) is not { } payment)
            {
                continue;
            }

            (app.Refusal is null ? payments : refused).Add(payment);
        }

        return new RoundRead(payments, refused, changes);
    }

    /// <summary>The payment <paramref name="pay"/> makes, if it and <paramref name="call"/> are a TipProxy tip group.</summary>
    private static ChainTip? TryPayment(IndexerTransaction pay, IndexerTransaction call, FollowedApp app)
    {
        var args = call.ApplicationArgs;
        if (args.Count is 0 or > 2 || !args[0].AsSpan().SequenceEqual(TipMethod))
        {
            return null;
        }

        if (pay.TxType != "pay" || pay.Id is null || pay.ConfirmedRound is not { } round || pay.ConfirmedRound != call.ConfirmedRound
            || pay.IntraRoundOffset is not { } offset || call.IntraRoundOffset != offset + 1
            || pay.Group is null || call.Group is null || !pay.Group.AsSpan().SequenceEqual(call.Group)
            || pay.Sender != call.Sender || pay.PaymentReceiver != app.Address
            || pay.PaymentAmount is not { } amount || amount == 0 || amount > long.MaxValue)
        {
            return null;
        }

        var memo = args.Count == 2 ? Encoding.UTF8.GetString(args[1]) : "";
        return new ChainTip(pay.Sender, app.Creator, (long)amount, memo, new ChainPosition(round, offset), pay.Id, pay.RoundTime ?? DateTimeOffset.UnixEpoch);
    }

    private static ChainPosition PositionOf(IndexerTransaction transaction) =>
        new(transaction.ConfirmedRound ?? 0, transaction.IntraRoundOffset ?? 0);
}
