using Orleans.Concurrency;

namespace FanForge.GrainInterfaces.Loyalty;

/// <summary>
/// Everything paid to one creator (key: creator wallet), in chain order: the delivery point of the chain watcher.
/// It forwards each payment to its fan–creator pair and keeps the creator's totals, recent payments and top fans
/// incrementally (bounded lists, never a scan over all fans).
/// </summary>
[Alias("ff.ICreatorTipLedger")]
public interface ICreatorTipLedger : IGrainWithStringKey
{
    /// <summary>
    /// Applies a batch of this creator's payments. Payments at or below the ledger's high-water mark are ignored
    /// (at-least-once delivery, exactly-once effect); within a batch any order is accepted and sorted by chain
    /// position. Returns how many were new.
    /// </summary>
    [Alias("Apply")]
    Task<int> ApplyAsync(IReadOnlyList<ChainTip> tips);

    /// <summary>Totals and the most recent payments.</summary>
    [Alias("GetSummary")]
    Task<CreatorTipSummary> GetSummaryAsync();

    /// <summary>Fans by everything they paid this creator, highest first.</summary>
    [Alias("GetTopFans")]
    Task<IReadOnlyList<FanStanding>> GetTopFansAsync(int limit);

    /// <summary>Fans by Butki badges, then Butki volume, highest first.</summary>
    [Alias("GetButkiLeaders")]
    Task<IReadOnlyList<FanStanding>> GetButkiLeadersAsync(int limit);

    /// <summary>
    /// A pair minted badge <paramref name="badgeNumber"/> for <paramref name="fan"/>; the pair sends it once, when its
    /// own minted count advances. One-way because this ledger calls the pairs while it applies payments: a pair
    /// waiting here at the same time would deadlock the two.
    /// </summary>
    [Alias("BadgeMinted"), OneWay]
    Task BadgeMintedAsync(string fan, int badgeNumber);
}

/// <summary>
/// A creator's totals over every TipProxy payment; <see cref="BadgesMinted"/> counts the Butki badges whose mint
/// landed, over all of its fans.
/// </summary>
[GenerateSerializer, Immutable, Alias("ff.CreatorTipSummary")]
public sealed record CreatorTipSummary(
    [property: Id(0)] string Creator,
    [property: Id(1)] int PaymentCount,
    [property: Id(2)] long PaymentMicroAlgo,
    [property: Id(3)] int UniqueFans,
    [property: Id(4)] IReadOnlyList<ChainTip> Recent,
    [property: Id(5)] ChainPosition HighWater,
    [property: Id(6)] int BadgesMinted = 0);

/// <summary>One fan's standing with one creator, as the leaderboards show it.</summary>
[GenerateSerializer, Immutable, Alias("ff.FanStanding")]
public sealed record FanStanding(
    [property: Id(0)] string Fan,
    [property: Id(1)] int PaymentCount,
    [property: Id(2)] long PaymentMicroAlgo,
    [property: Id(3)] int ButkiTipCount,
    [property: Id(4)] long ButkiMicroAlgo,
    [property: Id(5)] int BadgesEarned)
{
    /// <summary>The standing a pair snapshot gives.</summary>
    public static FanStanding Of(FanLoyaltySnapshot pair) =>
        new(pair.Fan, pair.PaymentCount, pair.PaymentMicroAlgo, pair.ButkiTipCount, pair.ButkiMicroAlgo, pair.BadgesEarned);
}
