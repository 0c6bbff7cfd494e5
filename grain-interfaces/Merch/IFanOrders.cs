namespace FanForge.GrainInterfaces.Merch;

/// <summary>A fan's orders (key: fan wallet): order ids newest first, and the ids idempotency keys were used for.</summary>
[Alias("ff.IFanOrders")]
public interface IFanOrders : IGrainWithStringKey
{
    /// <summary>The order id for <paramref name="idempotencyKey"/> (null: always a new one), allocated and listed once.</summary>
    [Alias("Open")]
    Task<long> OpenAsync(string? idempotencyKey);

    /// <summary>A page of order ids, newest first, and the total.</summary>
    [Alias("GetPage")]
    Task<(IReadOnlyList<long> Ids, int Total)> GetPageAsync(int offset, int limit);
}
