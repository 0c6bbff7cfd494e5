namespace FanForge.GrainInterfaces.Loyalty;

/// <summary>
/// The loyalty of one fan to one creator (key <c>{creator}/{fan}</c>, see <see cref="FanLoyaltyKey"/>): tip counts,
/// totals and Butki badges owed. Constant-size state: it keeps a high-water mark, never the tips themselves.
/// </summary>
[Alias("ff.IFanLoyalty")]
public interface IFanLoyalty : IGrainWithStringKey
{
    /// <summary>
    /// Applies this pair's tips (only tips: the creator's journal routes purchases elsewhere) in chain order. Tips at or
    /// below the high-water mark were applied before and are ignored, so redelivery and overlapping batches change
    /// nothing. Returns the pair afterwards.
    /// </summary>
    /// <remarks>
    /// Each tip comes priced by the journal (whether it counts for Butki at its round's prices): the journal is the one
    /// place that reads a creator's prices, so a new pair costs no call to the creator. The alias differs from the
    /// unpriced method this replaces, so a journal on an older silo gets a clear failure and redelivers later, never a
    /// misread argument.
    /// </remarks>
    [Alias("ApplyPriced")]
    Task<FanLoyaltySnapshot> ApplyAsync(IReadOnlyList<PricedTip> tips);

    /// <summary>The pair now (all zero for a pair that never tipped).</summary>
    [Alias("Get")]
    Task<FanLoyaltySnapshot> GetAsync();

    /// <summary>The pair's latest tips (a bounded list), newest first.</summary>
    [Alias("GetRecent")]
    Task<IReadOnlyList<ChainTip>> GetRecentAsync();

    /// <summary>Badge <paramref name="badgeNumber"/> was minted as <paramref name="assetId"/> (idempotent; the minter calls it).</summary>
    [Alias("BadgeMinted")]
    Task BadgeMintedAsync(int badgeNumber, ulong assetId);
}

/// <summary>A tip as the creator's journal hands it to the pair, with whether it counts for Butki at its round's prices.</summary>
[GenerateSerializer, Immutable, Alias("ff.PricedTip")]
public sealed record PricedTip([property: Id(0)] ChainTip Tip, [property: Id(1)] bool CountsForButki);

/// <summary>Grain keys of <see cref="IFanLoyalty"/>.</summary>
public static class FanLoyaltyKey
{
    /// <summary><c>{creator}/{fan}</c>: the creator first, so one creator's pairs sort together.</summary>
    public static string For(string creator, string fan) => $"{creator}/{fan}";

    /// <summary>The creator and fan of a key made by <see cref="For"/>.</summary>
    public static (string Creator, string Fan) Parse(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return (key[..slash], key[(slash + 1)..]);
    }
}

/// <summary>A fan–creator pair's loyalty. Payments count every tip (an underpaid purchase is a tip); Butki counts tips of at least the minimum.</summary>
[GenerateSerializer, Immutable, Alias("ff.FanLoyaltySnapshot")]
public sealed record FanLoyaltySnapshot(
    [property: Id(0)] string Fan,
    [property: Id(1)] string Creator,
    [property: Id(2)] int PaymentCount,
    [property: Id(3)] long PaymentMicroAlgo,
    [property: Id(4)] int ButkiTipCount,
    [property: Id(5)] long ButkiMicroAlgo,
    [property: Id(6)] int BadgesEarned,
    [property: Id(7)] int TipsToNextBadge,
    [property: Id(8)] long? LastBadgeAssetId,
    [property: Id(9)] ChainPosition? FirstPayment,
    [property: Id(10)] ChainPosition HighWater,
    [property: Id(11)] int BadgesMinted = 0);
