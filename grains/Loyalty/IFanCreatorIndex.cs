namespace FanForge.Grains.Loyalty;

/// <summary>
/// The secondary index "fan → creators the fan paid", behind <see cref="GrainInterfaces.Loyalty.IFanTipIndex"/>.
/// </summary>
/// <remarks>
/// A silo service rather than a grain the payment path calls: a tip from a new fan–creator pair would otherwise activate
/// the fan's index grain (a state read) and write its row, doubling that tip's storage work. On PostgreSQL it is a
/// table whose inserts from many pairs share one round trip; in memory it is a grain per fan
/// (<see cref="FanCreatorSetGrain"/>), the only thing silos share there.
/// </remarks>
public interface IFanCreatorIndex
{
    /// <summary>Records that <paramref name="fan"/> paid <paramref name="creator"/>: idempotent, and durable when it returns.</summary>
    Task AddAsync(string fan, string creator);

    /// <summary>Every creator <paramref name="fan"/> paid, in no particular order.</summary>
    Task<IReadOnlyList<string>> CreatorsAsync(string fan);
}
