using System.Text.Json.Serialization;
using FanForge.Api.Audit;
using FanForge.Api.Auth;
using FanForge.Api.Responses;
using FanForge.Grains.Algorand;
using FanForge.GrainInterfaces.Audit;
using FanForge.GrainInterfaces.Creators;
using FanForge.GrainInterfaces.Errors;
using FanForge.GrainInterfaces.Loyalty;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FanForge.Api.Creators;

internal static class CreatorsApi
{

    public static RouteGroupBuilder MapCreators(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/creator").WithTags("Creator");

        group.MapPost("/register", RegisterAsync)
            .RequireAuthorization(Policies.Authenticated)
            .RequireRateLimiting(RateLimits.Register)
            .Audited(AuditKinds.CreatorRegistered)
            .WithSummary("Become a creator (the body wallet must be the token's wallet); deploys its TipProxy");
        group.MapGet("/{wallet}/contract", GetContractAsync)
            .AllowAnonymous()
            .WithSummary("A creator's TipProxy app (public: fans need it to tip)");
        group.MapGet("/{wallet}/contract/stats", GetContractStatsAsync)
            .RequireAuthorization(Policies.Creator)
            .WithSummary("The TipProxy's on-chain counters (tips, amount, minimum, paused, version)");
        group.MapGet("/{wallet}/dashboard", GetDashboardAsync)
            .RequireAuthorization(Policies.Creator)
            .WithSummary("The creator's contract, on-chain stats, fans, badges minted and last 20 payments");

        return group;
    }

    private static async Task<Ok<RegisterCreatorResponse>> RegisterAsync(
        RegisterCreatorRequest request, HttpContext context, IGrainFactory grains, AuditRecorder audit)
    {
        var wallet = AlgorandAddress.Parse((request.WalletAddress ?? request.WalletAddressSnake)!).ToString();
        context.User.RequireCallerWallet(wallet, "request wallet");

        var minTipAlgo = request.MinTipAlgo ?? request.MinTipAlgoSnake ?? 1.0m;
        if (minTipAlgo is < 0.1m or > 1000m)
        {
            throw DomainException.Invalid(ErrorCodes.Validation, "min_tip_algo must be between 0.1 and 1000 ALGO.");
        }

        var profile = await grains.GetGrain<ICreator>(wallet).RegisterAsync(
            new RegisterCreator(request.Username, MicroAlgo.FromAlgo(minTipAlgo)));
        var contract = profile.Contract!;
        // A wallet registers once; a retry of the same registration gets the first answer and names the same entry.
        await audit.RecordAsync(context, new AuditChange(AuditKinds.CreatorRegistered, $"creator:{wallet}:registered", $"creator:{wallet}", wallet,
            AuditChanges.Diff(null, new { username = profile.Username, min_tip_micro = profile.MinTipMicroAlgo, app_id = contract.AppId })));
        return TypedResults.Ok(new RegisterCreatorResponse(
            profile.Wallet, profile.Username, contract.AppId, contract.AppAddress, (int)contract.Version,
            MicroAlgo.ToAlgo(profile.MinTipMicroAlgo), contract.TxId, Role: Roles.Creator,
            "Creator registered and TipProxy deployed"));
    }

    /// <summary>Public: the tip page reads any creator's contract as a fan, which the prototype refused.</summary>
    private static async Task<Ok<CreatorContractResponse>> GetContractAsync(string wallet, IGrainFactory grains)
    {
        var creator = AlgorandAddress.Parse(wallet).ToString();
        var profile = await grains.GetGrain<ICreator>(creator).GetProfileAsync();
        return TypedResults.Ok(CreatorContractResponse.Of(profile) ?? throw NoActiveContract(creator, " Register first via POST /creator/register"));
    }

    private static async Task<Ok<ContractStatsResponse>> GetContractStatsAsync(string wallet, IGrainFactory grains)
    {
        var creator = AlgorandAddress.Parse(wallet).ToString();
        var stats = await grains.GetGrain<ICreator>(creator).GetContractStatsAsync() ?? throw NoActiveContract(creator);
        return TypedResults.Ok(ContractStatsResponse.Of(stats));
    }

    private static async Task<Ok<CreatorDashboardResponse>> GetDashboardAsync(string wallet, IGrainFactory grains, ILoggerFactory loggers)
    {
        var creator = AlgorandAddress.Parse(wallet).ToString();
        var creatorGrain = grains.GetGrain<ICreator>(creator);
        var profileTask = creatorGrain.GetProfileAsync();
        var statsTask = StatsOrNullAsync(creatorGrain, loggers);
        var summaryTask = grains.GetGrain<ICreatorPayments>(creator).GetSummaryAsync();
        await Task.WhenAll(profileTask, statsTask, summaryTask);

        // The creator policy has just read this profile and nothing deletes one, so this is the prototype's 404 in name only.
        var profile = await profileTask ?? throw new DomainException(DomainErrorKind.NotFound, ErrorCodes.NotFound, "Creator not found.");
        var (stats, summary) = (await statsTask, await summaryTask);
        return TypedResults.Ok(new CreatorDashboardResponse(
            creator,
            profile.Username,
            CreatorContractResponse.Of(profile),
            stats is null ? null : ContractStatsResponse.Of(stats),
            summary.UniqueFans,
            summary.BadgesMinted,
            [.. summary.Recent.Select(DashboardTransaction.Of)],
            [.. (summary.Revenue ?? []).Select(r => new RevenueRow(r.Kind, r.Count, MicroAlgo.ToAlgo(r.MicroAlgo)))]));
    }

    /// <summary>The prototype still shows the dashboard when algod fails, with <c>stats: null</c>.</summary>
    private static async Task<TipProxyStats?> StatsOrNullAsync(ICreator creator, ILoggerFactory loggers)
    {
        try
        {
            return await creator.GetContractStatsAsync();
        }
        catch (DomainException e) when (e.Kind is DomainErrorKind.Upstream or DomainErrorKind.Unavailable)
        {
            loggers.CreateLogger(typeof(CreatorsApi)).LogWarning(e, "Dashboard of {Creator} served without on-chain stats", creator.GetPrimaryKeyString());
            return null;
        }
    }

    internal static DomainException NoActiveContract(string creator, string hint = "") =>
        new(DomainErrorKind.NotFound, ErrorCodes.NotFound, $"No active contract found for {creator[..8]}...{hint}");
}

/// <summary>The prototype accepts both casings for every field of this body.</summary>
internal sealed record RegisterCreatorRequest(
    string? WalletAddress,
    [property: JsonPropertyName("wallet_address")] string? WalletAddressSnake,
    string? Username,
    decimal? MinTipAlgo,
    [property: JsonPropertyName("min_tip_algo")] decimal? MinTipAlgoSnake);

internal sealed record RegisterCreatorResponse(
    string WalletAddress, string? Username, ulong AppId, string AppAddress, int Version, decimal MinTipAlgo, string TxId, string Role, string Message);

/// <summary>Both casings: the tip page reads <c>app_id|appId</c> and <c>app_address|appAddress</c>.</summary>
internal sealed record CreatorContractResponse(
    string CreatorWallet, ulong AppId, string AppAddress, int Version, bool Active, DateTimeOffset DeployedAt,
    [property: JsonPropertyName("app_id")] ulong AppIdSnake,
    [property: JsonPropertyName("app_address")] string AppAddressSnake,
    decimal MinTipAlgo,
    [property: JsonPropertyName("program_status")] string ProgramStatus,
    [property: JsonPropertyName("program_refusal")] string? ProgramRefusal)
{
    /// <summary>
    /// Null until the creator's TipProxy is confirmed. <c>active</c> is false, <c>program_status</c> <c>foreign</c> and
    /// <c>program_refusal</c> says why, while the app runs a program we do not ship: its payments earn nothing.
    /// </summary>
    public static CreatorContractResponse? Of(CreatorProfile? profile) => profile?.Contract is { } contract
        ? new(profile.Wallet, contract.AppId, contract.AppAddress, (int)contract.Version, Active: contract.Refusal is null, contract.DeployedAt,
            contract.AppId, contract.AppAddress, MicroAlgo.ToAlgo(profile.MinTipMicroAlgo),
            contract.Refusal is null ? "ours" : "foreign", contract.Refusal)
        : null;
}

/// <summary>
/// Route 13 answered camelCase while the dashboard embedded the snake dict, and CreatorHub reads either (plus
/// <c>total_algo_received</c>), so both routes serve both.
/// </summary>
internal sealed record ContractStatsResponse(
    ulong AppId,
    long TotalTips,
    decimal TotalAmountAlgo,
    decimal MinTipAlgo,
    bool Paused,
    ulong ContractVersion,
    [property: JsonPropertyName("app_id")] ulong AppIdSnake,
    [property: JsonPropertyName("total_tips")] long TotalTipsSnake,
    [property: JsonPropertyName("total_amount_algo")] decimal TotalAmountAlgoSnake,
    [property: JsonPropertyName("total_algo_received")] decimal TotalAlgoReceived,
    [property: JsonPropertyName("min_tip_algo")] decimal MinTipAlgoSnake,
    [property: JsonPropertyName("contract_version")] ulong ContractVersionSnake)
{
    public static ContractStatsResponse Of(TipProxyStats stats)
    {
        var (amount, minTip) = (MicroAlgo.ToAlgo(stats.TotalAmountMicroAlgo), MicroAlgo.ToAlgo(stats.MinTipMicroAlgo));
        return new(stats.AppId, stats.TotalTips, amount, minTip, stats.Paused, stats.ContractVersion,
            stats.AppId, stats.TotalTips, amount, amount, minTip, stats.ContractVersion);
    }
}

internal sealed record CreatorDashboardResponse(
    string WalletAddress,
    string? Username,
    CreatorContractResponse? Contract,
    ContractStatsResponse? Stats,
    int TotalFans,
    int TotalStickersMinted,
    IReadOnlyList<DashboardTransaction> RecentTransactions,
    [property: JsonPropertyName("revenue_by_kind")] IReadOnlyList<RevenueRow> RevenueByKind);

/// <summary>What one kind of payment (<c>tip</c>, <c>membership</c>, <c>shawty</c>, <c>order</c>) brought the creator.</summary>
internal sealed record RevenueRow(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("count")] int Count,
    [property: JsonPropertyName("total_algo")] decimal TotalAlgo);

/// <summary>
/// The prototype's camelCase row plus the snake names CreatorHub reads. Only confirmed tips reach the journal's recent
/// list, so every row is processed; the detection time is the block's.
/// </summary>
internal sealed record DashboardTransaction(
    string TxId,
    string FanWallet,
    decimal AmountAlgo,
    string Memo,
    bool Processed,
    DateTimeOffset DetectedAt,
    [property: JsonPropertyName("fan_wallet")] string FanWalletSnake,
    [property: JsonPropertyName("amount_algo")] decimal AmountAlgoSnake,
    [property: JsonPropertyName("detected_at")] DateTimeOffset DetectedAtSnake)
{
    public static DashboardTransaction Of(ChainTip tip) => new(
        tip.TxId, tip.Fan, MicroAlgo.ToAlgo(tip.AmountMicroAlgo), tip.Memo, Processed: true, tip.ConfirmedAt,
        tip.Fan, MicroAlgo.ToAlgo(tip.AmountMicroAlgo), tip.ConfirmedAt);
}
