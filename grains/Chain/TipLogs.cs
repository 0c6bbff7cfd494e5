using System.Buffers.Binary;
using System.Text;
using FanForge.Grains.Algorand;
using FanForge.Grains.Algorand.Clients;
using FanForge.GrainInterfaces.Loyalty;

namespace FanForge.Grains.Chain;

/// <summary>Reads TipProxy's log: <c>fan public key (32) ‖ uint64 big-endian micro-ALGO (8) ‖ memo (UTF-8, the rest)</c>.</summary>
public static class TipLogs
{
    private const int FanLength = 32;
    private const int HeaderLength = FanLength + sizeof(ulong);

    /// <summary>
    /// The payment a confirmed TipProxy call records, or null for calls that are not tips (pause, withdraw …: no log,
    /// or a log too short to be one). The position and id are the app call's own, as the indexer lists it.
    /// </summary>
    public static ChainTip? TryDecode(IndexerTransaction call, string creator)
    {
        if (call.Id is null || call.ConfirmedRound is not { } round || call.Logs.Count == 0 || call.Logs[0].Length < HeaderLength)
        {
            return null;
        }

        var log = call.Logs[0];
        var amount = BinaryPrimitives.ReadUInt64BigEndian(log.AsSpan(FanLength, sizeof(ulong)));
        if (amount > long.MaxValue)
        {
            return null; // no real payment is this large; refuse rather than wrap
        }

        return new ChainTip(
            AlgorandAddress.FromPublicKey(log.AsSpan(0, FanLength)).ToString(),
            creator,
            (long)amount,
            Encoding.UTF8.GetString(log.AsSpan(HeaderLength)),
            new ChainPosition(round, call.IntraRoundOffset ?? 0),
            call.Id,
            call.RoundTime ?? DateTimeOffset.UnixEpoch);
    }
}
