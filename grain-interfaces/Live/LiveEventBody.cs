namespace FanForge.GrainInterfaces.Live;

/// <summary>
/// What a live event says, as data. One derived record per event kind; the API process turns each into the payload
/// JSON the frontend reads. Amounts stay integer micro-ALGO here (as everywhere between grains): ALGO decimals are
/// an edge format, produced where the JSON is written.
/// </summary>
[GenerateSerializer, Immutable, Alias("ff.LiveEventBody")]
public abstract record LiveEventBody;

/// <summary>A tip was counted (event type <c>tip</c>).</summary>
/// <param name="TxId">The tip's payment transaction id.</param>
/// <param name="Fan">The fan's wallet.</param>
/// <param name="Creator">The creator's wallet.</param>
/// <param name="AmountMicroAlgo">The amount tipped.</param>
/// <param name="Memo">The memo the fan wrote, as stored with the tip.</param>
/// <param name="Round">The round the tip was confirmed in.</param>
/// <param name="DetectedAt">When the chain confirmed it.</param>
/// <param name="TipCount">The pair's tips of at least the badge minimum, as of the batch that counted this tip.</param>
/// <param name="BadgesEarned">The pair's badges earned, as of the same batch.</param>
[GenerateSerializer, Immutable, Alias("ff.TipEventBody")]
public sealed record TipEventBody(
    [property: Id(0)] string TxId,
    [property: Id(1)] string Fan,
    [property: Id(2)] string Creator,
    [property: Id(3)] long AmountMicroAlgo,
    [property: Id(4)] string Memo,
    [property: Id(5)] ulong Round,
    [property: Id(6)] DateTimeOffset DetectedAt,
    [property: Id(7)] int TipCount,
    [property: Id(8)] int BadgesEarned) : LiveEventBody;

/// <summary>A fan earned a badge from a creator (event type <c>badge</c>).</summary>
/// <param name="Fan">The fan's wallet.</param>
/// <param name="Creator">The creator's wallet.</param>
/// <param name="BadgeNumber">Which of the pair's badges this is, from 1.</param>
/// <param name="TipCount">The pair's tips of at least the badge minimum, as of the batch that earned the badge.</param>
/// <param name="TotalTippedMicroAlgo">The total of those tips.</param>
[GenerateSerializer, Immutable, Alias("ff.BadgeEventBody")]
public sealed record BadgeEventBody(
    [property: Id(0)] string Fan,
    [property: Id(1)] string Creator,
    [property: Id(2)] int BadgeNumber,
    [property: Id(3)] int TipCount,
    [property: Id(4)] long TotalTippedMicroAlgo) : LiveEventBody;

/// <summary>A membership changed (event type <c>membership</c>).</summary>
/// <param name="Fan">The member's wallet.</param>
/// <param name="Creator">The creator's wallet.</param>
/// <param name="Status"><c>active</c>, <c>renewed</c> or <c>expired</c>.</param>
/// <param name="ExpiresAt">When the membership ends (or ended).</param>
/// <param name="TxId">The payment that started or renewed it; none for an expiry.</param>
[GenerateSerializer, Immutable, Alias("ff.MembershipEventBody")]
public sealed record MembershipEventBody(
    [property: Id(0)] string Fan,
    [property: Id(1)] string Creator,
    [property: Id(2)] string Status,
    [property: Id(3)] DateTimeOffset? ExpiresAt,
    [property: Id(4)] string? TxId) : LiveEventBody;

/// <summary>A fan's Butki badge landed on chain (event type <c>badge_minted</c>), after the <c>badge</c> event that owed it.</summary>
/// <param name="Fan">The fan's wallet.</param>
/// <param name="Creator">The creator's wallet.</param>
/// <param name="BadgeNumber">Which of the pair's badges this is, from 1.</param>
/// <param name="AssetId">The badge's ASA id, in platform custody until the fan claims it.</param>
[GenerateSerializer, Immutable, Alias("ff.BadgeMintedEventBody")]
public sealed record BadgeMintedEventBody(
    [property: Id(0)] string Fan,
    [property: Id(1)] string Creator,
    [property: Id(2)] int BadgeNumber,
    [property: Id(3)] ulong AssetId) : LiveEventBody;
