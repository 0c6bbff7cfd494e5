namespace FanForge.GrainInterfaces.Loyalty;

/// <summary>
/// Where a transaction sits on the chain: round, then its offset inside the round. Tips of one creator are
/// delivered in this order, and every consumer keeps a high-water mark of it instead of a set of seen tx ids.
/// </summary>
[GenerateSerializer, Immutable, Alias("ff.ChainPosition")]
public readonly record struct ChainPosition([property: Id(0)] ulong Round, [property: Id(1)] ulong IntraRoundOffset)
    : IComparable<ChainPosition>
{
    /// <summary>Before every real transaction (round 0 never holds one).</summary>
    public static ChainPosition Origin => default;

    /// <inheritdoc />
    public int CompareTo(ChainPosition other) =>
        Round != other.Round ? Round.CompareTo(other.Round) : IntraRoundOffset.CompareTo(other.IntraRoundOffset);

    /// <summary>Chain order.</summary>
    public static bool operator >(ChainPosition left, ChainPosition right) => left.CompareTo(right) > 0;

    /// <summary>Chain order.</summary>
    public static bool operator <(ChainPosition left, ChainPosition right) => left.CompareTo(right) < 0;

    /// <summary>Chain order.</summary>
    public static bool operator >=(ChainPosition left, ChainPosition right) => left.CompareTo(right) >= 0;

    /// <summary>Chain order.</summary>
    public static bool operator <=(ChainPosition left, ChainPosition right) => left.CompareTo(right) <= 0;
}

/// <summary>
/// One confirmed TipProxy payment as the chain follower read it from the chain itself: the group's payment transaction
/// (sender = <see cref="Fan"/>, receiver = the creator's app account, <see cref="AmountMicroAlgo"/> = what moved;
/// <see cref="Position"/> and <see cref="TxId"/> are the payment's own), with the memo of the <c>tip</c> app call
/// grouped with it. Every payment (tip, membership, Shawty, order) arrives as one of these.
/// </summary>
[GenerateSerializer, Immutable, Alias("ff.ChainTip")]
public sealed record ChainTip(
    [property: Id(0)] string Fan,
    [property: Id(1)] string Creator,
    [property: Id(2)] long AmountMicroAlgo,
    [property: Id(3)] string Memo,
    [property: Id(4)] ChainPosition Position,
    [property: Id(5)] string TxId,
    [property: Id(6)] DateTimeOffset ConfirmedAt);
