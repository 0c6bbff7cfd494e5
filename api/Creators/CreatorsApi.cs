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
            .WithSummary("Become a creator (the body wallet must be the token's wallet)");

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
        return TypedResults.Ok(new RegisterCreatorResponse(
            profile.Wallet, profile.Username, AppId: null, AppAddress: null, Version: 1,
            (decimal)profile.MinTipMicroAlgo / MicroAlgoPerAlgo, TxId: null, Role: Roles.Creator,
            "Creator registered. The TipProxy contract is deployed once the Algorand core is enabled."));
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
    string WalletAddress, string? Username, long? AppId, string? AppAddress, int Version, decimal MinTipAlgo, string? TxId, string Role, string Message);
