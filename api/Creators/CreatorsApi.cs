using System.Text.Json.Serialization;
using FanForge.Api.Auth;
using FanForge.Grains.Algorand;
using FanForge.GrainInterfaces.Creators;
using FanForge.GrainInterfaces.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FanForge.Api.Creators;

internal static class CreatorsApi
{
    private const long MicroAlgoPerAlgo = 1_000_000;

    public static RouteGroupBuilder MapCreators(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/creator").WithTags("Creator");

        group.MapPost("/register", RegisterAsync)
            .RequireAuthorization(Policies.Authenticated)
            .RequireRateLimiting(RateLimits.Register)
            .WithSummary("Become a creator (the body wallet must be the token's wallet); deploys its TipProxy");
        group.MapGet("/{wallet}/contract", GetContractAsync)
            .AllowAnonymous()
            .WithSummary("A creator's TipProxy app (public: fans need it to tip)");

        return group;
    }

    private static async Task<Ok<RegisterCreatorResponse>> RegisterAsync(RegisterCreatorRequest request, HttpContext context, IGrainFactory grains)
    {
        var wallet = AlgorandAddress.Parse((request.WalletAddress ?? request.WalletAddressSnake)!).ToString();
        if (!string.Equals(wallet, context.User.WalletOf(), StringComparison.Ordinal))
        {
            throw DomainException.Forbidden(ErrorCodes.Forbidden, "Authenticated wallet does not match request wallet.");
        }

        var minTipAlgo = request.MinTipAlgo ?? request.MinTipAlgoSnake ?? 1.0m;
        if (minTipAlgo is < 0.1m or > 1000m)
        {
            throw DomainException.Invalid(ErrorCodes.Validation, "min_tip_algo must be between 0.1 and 1000 ALGO.");
        }

        var profile = await grains.GetGrain<ICreator>(wallet).RegisterAsync(
            new RegisterCreator(request.Username, decimal.ToInt64(minTipAlgo * MicroAlgoPerAlgo)));
        var contract = profile.Contract!;
        return TypedResults.Ok(new RegisterCreatorResponse(
            profile.Wallet, profile.Username, contract.AppId, contract.AppAddress, (int)contract.Version,
            (decimal)profile.MinTipMicroAlgo / MicroAlgoPerAlgo, contract.TxId, Role: Roles.Creator,
            "Creator registered and TipProxy deployed"));
    }

    /// <summary>Public: the tip page reads any creator's contract (prototype bug #10 fixed).</summary>
    private static async Task<Ok<CreatorContractResponse>> GetContractAsync(string wallet, IGrainFactory grains)
    {
        var creator = AlgorandAddress.Parse(wallet).ToString();
        var profile = await grains.GetGrain<ICreator>(creator).GetProfileAsync();
        var contract = profile?.Contract ?? throw new DomainException(
            DomainErrorKind.NotFound, ErrorCodes.NotFound, $"No active contract found for {creator[..8]}... Register first via POST /creator/register");
        return TypedResults.Ok(new CreatorContractResponse(
            creator, contract.AppId, contract.AppAddress, (int)contract.Version, Active: true, contract.DeployedAt,
            contract.AppId, contract.AppAddress, (decimal)profile.MinTipMicroAlgo / MicroAlgoPerAlgo));
    }
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
    decimal MinTipAlgo);
