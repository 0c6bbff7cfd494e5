namespace FanForge.GrainInterfaces.Shawty;

/// <summary>
/// A creator's journal of on-chain transfers of its claimed Shawty tokens (key: creator wallet), fed by the chain
/// follower. Appending is one write, acknowledged at once, so the follower never waits on a token; each token then gets
/// its transfers in chain order, at least once (a token that fails holds back only its own, retried with back-off).
/// </summary>
[Alias("ff.IShawtyTransfers")]
public interface IShawtyTransfers : IGrainWithStringKey
{
    /// <summary>Journals the transfers past the journal's high-water mark; returns how many were new.</summary>
    [Alias("Append")]
    Task<int> AppendAsync(IReadOnlyList<ShawtyChainTransfer> transfers);

    /// <summary>Transfers journaled and not yet taken by their token.</summary>
    [Alias("GetPendingCount")]
    Task<int> GetPendingCountAsync();
}
