using System.Text.Json.Serialization;
using FanForge.Api.Auth;
using FanForge.Api.Responses;
using FanForge.Grains.Algorand;
using FanForge.Grains.Loyalty;
using FanForge.GrainInterfaces.Creators;
using FanForge.GrainInterfaces.Errors;
using FanForge.GrainInterfaces.Loyalty;
using FanForge.GrainInterfaces.Nfts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FanForge.Api.Loyalty;

/// <summary>Butki loyalty, leaderboards and fan stats, in the prototype's shapes (snake_case where it used it).</summary>
internal static class LoyaltyApi
{
    public static IEndpointRouteBuilder MapLoyalty(this IEndpointRouteBuilder routes)
    {
        var butki = routes.MapGroup("/butki").WithTags("Butki").AllowAnonymous();
        butki.MapGet("/{wallet}/loyalty", GetFanLoyaltyAsync).WithSummary("A fan's Butki loyalty with every creator");
        butki.MapGet("/{wallet}/loyalty/{creatorWallet}", GetPairLoyaltyAsync).WithSummary("A fan's Butki loyalty with one creator");
        butki.MapGet("/leaderboard/{creatorWallet}", GetButkiLeaderboardAsync).WithSummary("A creator's fans by Butki badges, then volume");

        var leaderboard = routes.MapGroup("/leaderboard").WithTags("Leaderboards").AllowAnonymous();
        leaderboard.MapGet("/global/top-creators", GetTopCreatorsAsync).WithSummary("Creators by ALGO received");
        leaderboard.MapGet("/{creatorWallet}", GetCreatorLeaderboardAsync).WithSummary("A creator's fans by ALGO paid");

        var fan = routes.MapGroup("/fan").WithTags("Fan").RequireAuthorization(Policies.WalletOwner);
        fan.MapGet("/{wallet}/stats", GetFanStatsAsync).WithSummary("A fan's payments across creators");
        fan.MapGet("/{wallet}/golden-odds", GetGoldenOdds).WithSummary("Golden sticker odds for a tip amount (display only)");
        return routes;
    }



    private static async Task<Ok<FanLoyaltyListResponse>> GetFanLoyaltyAsync(string wallet, IGrainFactory grains)
    {
        var fan = RequestValues.Wallet(wallet);
        var creators = (await FanPairs.ReadAsync(grains, fan, await FanPairs.CreatorsAsync(grains, fan)))
            .Where(p => p.ButkiTipCount > 0)
            .OrderByDescending(p => p.BadgesEarned).ThenByDescending(p => p.ButkiMicroAlgo)
            .Select(PairLoyalty.From)
            .ToList();
        return TypedResults.Ok(new FanLoyaltyListResponse(fan, creators, creators.Count));
    }

    private static async Task<Ok<PairLoyaltyResponse>> GetPairLoyaltyAsync(string wallet, string creatorWallet, IGrainFactory grains)
    {
        var (fan, creator) = (RequestValues.Wallet(wallet), RequestValues.Wallet(creatorWallet));
        var pair = await grains.GetGrain<IFanLoyalty>(FanLoyaltyKey.For(creator, fan)).GetAsync();
        var loyalty = PairLoyalty.From(pair);
        return TypedResults.Ok(new PairLoyaltyResponse(fan, creator, loyalty.TipCount, loyalty.TotalTippedAlgo, loyalty.ButkiBadgesEarned,
            loyalty.TipsToNextBadge, loyalty.LastBadgeAssetId));
    }

    private static async Task<Ok<ButkiLeaderboardResponse>> GetButkiLeaderboardAsync(string creatorWallet, int? limit, IGrainFactory grains)
    {
        var creator = RequestValues.Wallet(creatorWallet);
        var leaders = await grains.GetGrain<ICreatorPayments>(creator).GetButkiLeadersAsync(RequestValues.Limit(limit, 50, 200));
        var rows = leaders.Select((s, i) => new ButkiLeaderRow(i + 1, s.Fan, s.BadgesEarned, s.ButkiTipCount, MicroAlgo.ToAlgo(s.ButkiMicroAlgo))).ToList();
        return TypedResults.Ok(new ButkiLeaderboardResponse(creator, rows, rows.Count));
    }

    private static async Task<Ok<Envelope<CreatorLeaderboard, CreatorLeaderboardMeta>>> GetCreatorLeaderboardAsync(
        string creatorWallet, int? limit, IGrainFactory grains)
    {
        var creator = RequestValues.Wallet(creatorWallet);
        var profile = await grains.GetGrain<ICreator>(creator).GetProfileAsync()
            ?? throw new DomainException(DomainErrorKind.NotFound, ErrorCodes.NotFound, $"Creator {creator[..8]}... not found");
        var fans = await grains.GetGrain<ICreatorPayments>(creator).GetTopFansAsync(RequestValues.Limit(limit, 20, 100));
        var rows = fans.Select((s, i) => new CreatorLeaderboardRow(
            i + 1, s.Fan, Username: null, s.PaymentCount, MicroAlgo.ToAlgo(s.PaymentMicroAlgo), MicroAlgo.ToAlgo(s.PaymentMicroAlgo), NftCount: s.BadgesEarned)).ToList();
        return TypedResults.Ok(Envelope.Of(
            new CreatorLeaderboard(creator, profile.Username, rows),
            new CreatorLeaderboardMeta(rows.Count, rows.Sum(r => r.TotalAlgo))));
    }

    private static async Task<Ok<Envelope<TopCreators, TotalMeta>>> GetTopCreatorsAsync(int? limit, IGrainFactory grains)
    {
        var standings = await grains.GetGrain<IGlobalLeaderboard>(IGlobalLeaderboard.Key).GetTopAsync(RequestValues.Limit(limit, 20, 100));
        var profiles = await Task.WhenAll(standings.Select(s => grains.GetGrain<ICreator>(s.Creator).GetProfileAsync()));
        var rows = standings.Select((s, i) => new TopCreatorRow(
            i + 1, s.Creator, profiles[i]?.Username, profiles[i]?.Contract?.AppId, s.PaymentCount, MicroAlgo.ToAlgo(s.PaymentMicroAlgo), s.UniqueFans)).ToList();
        return TypedResults.Ok(Envelope.Of(new TopCreators(rows), new TotalMeta(rows.Count)));
    }

    private static async Task<Ok<FanStatsResponse>> GetFanStatsAsync(string wallet, IGrainFactory grains)
    {
        var fan = RequestValues.Wallet(wallet);
        var wallets = await FanPairs.CreatorsAsync(grains, fan);
        var (pairs, recent) = (FanPairs.ReadAsync(grains, fan, wallets), FanPairs.RecentAsync(grains, fan, wallets));
        // A creator the fan only bought from (membership, Shawty) is in the index with a pair that holds no tips.
        var creators = (await pairs).Where(p => p.PaymentCount > 0).ToList();
        var recentTips = await recent;
        var count = creators.Sum(c => c.PaymentCount);
        var micro = creators.Sum(c => c.PaymentMicroAlgo);
        // NFTs minted for the fan, as the prototype counts its NFT rows: Butki and Bauni are soulbound, Shawty golden.
        var nfts = await grains.GetGrain<IFanNfts>(fan).GetAllAsync();
        var soulbound = nfts.Count(n => n.StickerType == "soulbound");
        var golden = nfts.Count(n => n.StickerType == "golden");
        return TypedResults.Ok(new FanStatsResponse(
            fan, count, MicroAlgo.ToAlgo(micro), count == 0 ? 0 : Math.Round(MicroAlgo.ToAlgo(micro) / count, 6), creators.Count,
            soulbound, golden, soulbound + golden, soulbound, golden,
            [.. creators.OrderByDescending(c => c.PaymentMicroAlgo).Take(10).Select(c => new CreatorBreakdownRow(c.Creator, c.PaymentCount, MicroAlgo.ToAlgo(c.PaymentMicroAlgo)))],
            [.. recentTips.Take(10).Select(t => new RecentTipRow(t.TxId, t.Creator, MicroAlgo.ToAlgo(t.AmountMicroAlgo), t.Memo, t.ConfirmedAt))]));
    }

    private static Ok<GoldenOddsResponse> GetGoldenOdds(string wallet, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "amount_algo")] decimal? amountAlgo)
    {
        var fan = RequestValues.Wallet(wallet);
        var amount = amountAlgo ?? 1.0m;
        if (amount is < 0m or > 10_000_000_000m)
        {
            throw DomainException.Invalid(ErrorCodes.Validation, "amount_algo must be between 0 and 10000000000.");
        }

        var odds = GoldenOdds.For(amount);
        return TypedResults.Ok(new GoldenOddsResponse(fan, amount, odds.BaseProbability, odds.Bonus, odds.TotalProbability,
            odds.TriggerInterval, odds.Description, odds.TotalProbability));
    }
}

internal sealed record PairLoyalty(
    [property: JsonPropertyName("creator_wallet")] string CreatorWallet,
    [property: JsonPropertyName("tip_count")] int TipCount,
    [property: JsonPropertyName("total_tipped_algo")] decimal TotalTippedAlgo,
    [property: JsonPropertyName("butki_badges_earned")] int ButkiBadgesEarned,
    [property: JsonPropertyName("tips_to_next_badge")] int TipsToNextBadge,
    [property: JsonPropertyName("last_badge_asset_id")] long? LastBadgeAssetId)
{
    public static PairLoyalty From(FanLoyaltySnapshot pair) => new(
        pair.Creator, pair.ButkiTipCount, MicroAlgo.ToAlgo(pair.ButkiMicroAlgo), pair.BadgesEarned, pair.TipsToNextBadge, pair.LastBadgeAssetId);
}

internal sealed record FanLoyaltyListResponse(
    [property: JsonPropertyName("fan_wallet")] string FanWallet,
    [property: JsonPropertyName("creators")] IReadOnlyList<PairLoyalty> Creators,
    [property: JsonPropertyName("total_creators_supported")] int TotalCreatorsSupported);

internal sealed record PairLoyaltyResponse(
    [property: JsonPropertyName("fan_wallet")] string FanWallet,
    [property: JsonPropertyName("creator_wallet")] string CreatorWallet,
    [property: JsonPropertyName("tip_count")] int TipCount,
    [property: JsonPropertyName("total_tipped_algo")] decimal TotalTippedAlgo,
    [property: JsonPropertyName("butki_badges_earned")] int ButkiBadgesEarned,
    [property: JsonPropertyName("tips_to_next_badge")] int TipsToNextBadge,
    [property: JsonPropertyName("last_badge_asset_id")] long? LastBadgeAssetId);

internal sealed record ButkiLeaderRow(
    [property: JsonPropertyName("rank")] int Rank,
    [property: JsonPropertyName("fan_wallet")] string FanWallet,
    [property: JsonPropertyName("butki_badges_earned")] int ButkiBadgesEarned,
    [property: JsonPropertyName("tip_count")] int TipCount,
    [property: JsonPropertyName("total_tipped_algo")] decimal TotalTippedAlgo);

internal sealed record ButkiLeaderboardResponse(
    [property: JsonPropertyName("creator_wallet")] string CreatorWallet,
    [property: JsonPropertyName("leaderboard")] IReadOnlyList<ButkiLeaderRow> Leaderboard,
    [property: JsonPropertyName("total_fans")] int TotalFans);

internal sealed record CreatorLeaderboardRow(int Rank, string FanWallet, string? Username, int TipCount, decimal TotalAlgo, decimal TotalAlgoTipped, int NftCount);

internal sealed record CreatorLeaderboard(string CreatorWallet, string? CreatorUsername, IReadOnlyList<CreatorLeaderboardRow> Leaderboard);

internal sealed record CreatorLeaderboardMeta(int TotalFans, decimal TotalAlgoReceived);

internal sealed record TopCreatorRow(int Rank, string CreatorWallet, string? Username, ulong? AppId, int TipCount, decimal TotalAlgoReceived, int UniqueFans);

internal sealed record TopCreators(IReadOnlyList<TopCreatorRow> Leaderboard);

internal sealed record TotalMeta(int Total);

internal sealed record CreatorBreakdownRow(string CreatorWallet, int TipCount, decimal TotalAlgo);

internal sealed record RecentTipRow(string TxId, string CreatorWallet, decimal AmountAlgo, string Memo, DateTimeOffset DetectedAt);

internal sealed record FanStatsResponse(
    string Wallet, int TotalTips, decimal TotalAlgoSpent, decimal AverageTipAlgo, int UniqueCreators,
    int TotalSoulbound, int TotalGolden, int TotalNfts,
    [property: JsonPropertyName("total_soulbound")] int TotalSoulboundSnake,
    [property: JsonPropertyName("total_golden")] int TotalGoldenSnake,
    IReadOnlyList<CreatorBreakdownRow> CreatorBreakdown, IReadOnlyList<RecentTipRow> RecentTips);

internal sealed record GoldenOddsResponse(
    string Wallet, decimal TipAmount, decimal BaseProbability, decimal Bonus, decimal TotalProbability, int TriggerInterval,
    string Description, decimal Probability);
