using FanForge.Grains.Algorand.Clients;
using FanForge.GrainInterfaces.Loyalty;
using FanForge.GrainInterfaces.Shawty;

namespace FanForge.Grains.Chain;

/// <summary>
/// Reads holders' own transfers of claimed Shawty tokens from the chain's transactions, pure (no grain, no I/O). A
/// transfer counts when an <c>axfer</c> of a watched asset moves its unit out of the sender's holding: to the receiver
/// when it moves one or more units, else to the close-to account when it closes the holding. The platform's own
/// transfers (claims and burns by clawback) are left out: the token grain that sent them records them itself.
/// </summary>
public static class TokenTransfers
{
    /// <summary>
    /// The transfers in <paramref name="transactions"/> (whole rounds, ordered by round and offset) of the assets in
    /// <paramref name="tokens"/> (asset id → creator), in chain order.
    /// </summary>
    public static IReadOnlyList<ShawtyChainTransfer> Read(IReadOnlyList<IndexerTransaction> transactions, IReadOnlyDictionary<ulong, string> tokens, string platform)
    {
        var transfers = new List<ShawtyChainTransfer>();
        if (tokens.Count == 0)
        {
            return transfers;
        }

        foreach (var transaction in transactions)
        {
            if (transaction is not { TxType: "axfer", AssetId: { } assetId, Id: { } txId, ConfirmedRound: { } round, IntraRoundOffset: { } offset }
                || !tokens.TryGetValue(assetId, out var creator)
                || transaction.Sender == platform || transaction.AssetClawbackFrom is not null)
            {
                continue;
            }

            var to = transaction.AssetAmount is > 0 ? transaction.AssetReceiver : transaction.AssetCloseTo;
            if (to is null || to == transaction.Sender)
            {
                continue; // an opt-in, or a zero transfer that closes nothing
            }

            transfers.Add(new ShawtyChainTransfer(assetId, creator, transaction.Sender, to, new ChainPosition(round, offset), txId,
                transaction.RoundTime ?? DateTimeOffset.UnixEpoch));
        }

        return transfers;
    }
}
