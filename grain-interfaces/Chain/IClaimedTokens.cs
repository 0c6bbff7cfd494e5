namespace FanForge.GrainInterfaces.Chain;

/// <summary>
/// The Shawty tokens that left platform custody for a fan's wallet (one grain, key <see cref="Key"/>), in the order
/// they were registered: what the chain follower watches for the holders' own transfers. A token registers before its
/// claim is first sent, so no transfer of it can land before the follower can know it.
/// </summary>
[Alias("ff.IClaimedTokens")]
public interface IClaimedTokens : IGrainWithStringKey
{
    /// <summary>The only key.</summary>
    public const string Key = "shawty";

    /// <summary>Records a token (idempotent: the first registration stays) and tells the follower to load it.</summary>
    [Alias("Register")]
    Task RegisterAsync(ClaimedToken token);

    /// <summary>Registered tokens from position <paramref name="from"/> (0-based, registration order), at most <paramref name="max"/>.</summary>
    [Alias("GetFrom")]
    Task<IReadOnlyList<ClaimedToken>> GetFromAsync(int from, int max);
}

/// <summary>
/// A claimed token, its creator (whose journal takes its transfers) and a round at or before its claim could land, from
/// which a follower that learns of it late reads its transfers.
/// </summary>
[GenerateSerializer, Immutable, Alias("ff.ClaimedToken")]
public sealed record ClaimedToken([property: Id(0)] ulong AssetId, [property: Id(1)] string Creator, [property: Id(2)] ulong SinceRound);
