using Orleans.Concurrency;

namespace FanForge.GrainInterfaces.Loyalty;

/// <summary>
/// One creator's payment journal (key: creator wallet), the ordering point between the chain follower and the
/// consumers. It appends each round's payments in one durable write and acknowledges at once; then it hands every
/// payment, at least once and in chain order per consumer, to its one owner by kind: tips to the fan–creator pair,
/// <c>MEMBERSHIP:BAUNI</c> to the membership, <c>PURCHASE:SHAWTY</c> to the fan's Shawty wallet, <c>ORDER:{id}</c> to
/// the order. A consumer that fails holds back only its own payments (parked with the reason); the rest flow on.
/// It also keeps the creator's tip totals, recent tips, rankings and revenue by kind (bounded lists).
/// </summary>
[Alias("ff.ICreatorPayments")]
public interface ICreatorPayments : IGrainWithStringKey
{
    /// <summary>
    /// Journals a batch of this creator's confirmed payments. Payments at or below the journal's high-water mark are
    /// ignored (the follower redelivers after a crash); within a batch any order is accepted and sorted by chain
    /// position. Returns how many were new. Returns once they are durable, before any consumer has seen them.
    /// </summary>
    [Alias("Append")]
    Task<int> AppendAsync(IReadOnlyList<ChainTip> payments);

    /// <summary>Tip totals, revenue by kind, the most recent tips and what is parked.</summary>
    [Alias("GetSummary")]
    Task<CreatorTipSummary> GetSummaryAsync();

    /// <summary>Fans by everything they tipped this creator, highest first.</summary>
    [Alias("GetTopFans")]
    Task<IReadOnlyList<FanStanding>> GetTopFansAsync(int limit);

    /// <summary>Fans by Butki badges, then Butki volume, highest first.</summary>
    [Alias("GetButkiLeaders")]
    Task<IReadOnlyList<FanStanding>> GetButkiLeadersAsync(int limit);

    /// <summary>
    /// A pair minted badge <paramref name="badgeNumber"/> for <paramref name="fan"/>; the pair sends it once, when its
    /// own minted count advances. One-way because this journal calls the pairs while it delivers tips.
    /// </summary>
    [Alias("BadgeMinted"), OneWay]
    Task BadgeMintedAsync(string fan, int badgeNumber);
}

/// <summary>
/// A creator's totals. <see cref="PaymentCount"/>/<see cref="PaymentMicroAlgo"/> count tips only (an underpaid
/// purchase is a tip); purchases and order payments are in <see cref="Revenue"/>. <see cref="BadgesMinted"/> counts the
/// Butki badges whose mint landed, over all of its fans.
/// </summary>
[GenerateSerializer, Immutable, Alias("ff.CreatorTipSummary")]
public sealed record CreatorTipSummary(
    [property: Id(0)] string Creator,
    [property: Id(1)] int PaymentCount,
    [property: Id(2)] long PaymentMicroAlgo,
    [property: Id(3)] int UniqueFans,
    [property: Id(4)] IReadOnlyList<ChainTip> Recent,
    [property: Id(5)] ChainPosition HighWater,
    [property: Id(6)] int BadgesMinted = 0,
    [property: Id(7)] IReadOnlyList<RevenueLine>? Revenue = null,
    [property: Id(8)] IReadOnlyList<ParkedPayment>? Parked = null,
    [property: Id(9)] int Pending = 0);

/// <summary>Everything one kind of payment brought a creator: <c>tip</c>, <c>membership</c>, <c>shawty</c> or <c>order</c>.</summary>
[GenerateSerializer, Immutable, Alias("ff.RevenueLine")]
public sealed record RevenueLine([property: Id(0)] string Kind, [property: Id(1)] int Count, [property: Id(2)] long MicroAlgo);

/// <summary>
/// A payment its consumer refused or failed on: it waits (with the consumer's later payments behind it) and is retried
/// with back-off; <see cref="Reason"/> says why, for operators.
/// </summary>
[GenerateSerializer, Immutable, Alias("ff.ParkedPayment")]
public sealed record ParkedPayment(
    [property: Id(0)] string TxId,
    [property: Id(1)] string Kind,
    [property: Id(2)] string Consumer,
    [property: Id(3)] ChainPosition Position,
    [property: Id(4)] string Reason,
    [property: Id(5)] int Attempts,
    [property: Id(6)] DateTimeOffset? RetryAt);

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
