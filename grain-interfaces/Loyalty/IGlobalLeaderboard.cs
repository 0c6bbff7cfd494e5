namespace FanForge.GrainInterfaces.Loyalty;

/// <summary>The platform's top creators by ALGO received (one grain, key <see cref="Key"/>).</summary>
[Alias("ff.IGlobalLeaderboard")]
public interface IGlobalLeaderboard : IGrainWithStringKey
{
    /// <summary>The only key.</summary>
    public const string Key = "global";

    /// <summary>Reports a creator's absolute totals; totals only grow, so keeping the top entries stays exact.</summary>
    [Alias("Report")]
    Task ReportAsync(CreatorStanding standing);

    /// <summary>Top creators by ALGO received, highest first.</summary>
    [Alias("GetTop")]
    Task<IReadOnlyList<CreatorStanding>> GetTopAsync(int limit);
}

/// <summary>A creator's totals as the global leaderboard ranks them.</summary>
[GenerateSerializer, Immutable, Alias("ff.CreatorStanding")]
public sealed record CreatorStanding(
    [property: Id(0)] string Creator,
    [property: Id(1)] int PaymentCount,
    [property: Id(2)] long PaymentMicroAlgo,
    [property: Id(3)] int UniqueFans);
