namespace FanForge.GrainInterfaces.Merch;

/// <summary>
/// A creator's sales totals (key: creator wallet), moved by its orders: once per order when paid, once when a paid
/// order is refunded. Amounts in micro-ALGO (the order totals).
/// </summary>
[Alias("ff.ICreatorSales")]
public interface ICreatorSales : IGrainWithStringKey
{
    /// <summary>Counts order <paramref name="orderId"/> as paid; again for the same order does nothing.</summary>
    [Alias("RecordPaid")]
    Task RecordPaidAsync(long orderId, long totalMicroAlgo);

    /// <summary>Counts paid order <paramref name="orderId"/> as refunded; again for the same order does nothing.</summary>
    [Alias("RecordRefunded")]
    Task RecordRefundedAsync(long orderId, long totalMicroAlgo);

    /// <summary>The totals.</summary>
    [Alias("Get")]
    Task<CreatorSalesTotals> GetAsync();
}

/// <summary>Paid and refunded orders of one creator.</summary>
[GenerateSerializer, Immutable, Alias("ff.CreatorSalesTotals")]
public sealed record CreatorSalesTotals(
    [property: Id(0)] int PaidCount,
    [property: Id(1)] long PaidMicroAlgo,
    [property: Id(2)] int RefundedCount,
    [property: Id(3)] long RefundedMicroAlgo);
