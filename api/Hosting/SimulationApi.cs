using System.Text.Json.Serialization;
using FanForge.Api.Responses;
using FanForge.Grains;
using FanForge.Grains.Algorand;
using FanForge.Grains.Algorand.Simulation;
using FanForge.GrainInterfaces.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FanForge.Api.Hosting;

/// <summary>Development-only routes that act on the simulated world; absent unless <c>Api:SimulationEndpoints</c>.</summary>
internal static class SimulationApi
{
    /// <summary>
    /// Makes the co-hosted silo's business clock movable; call before the silo is added. The Orleans runtime, token
    /// lifetimes and rate limits keep the real clock.
    /// </summary>
    public static void AddDevelopmentClock(this IServiceCollection services)
    {
        var clock = new DevelopmentClock(TimeProvider.System);
        services.AddSingleton(clock);
        services.AddSingleton(new BusinessClock(clock));
    }

    public static IEndpointRouteBuilder MapSimulation(this IEndpointRouteBuilder routes)
    {
        var simulate = routes.MapGroup("/simulate").WithTags("Simulation (development only)").AllowAnonymous();
        simulate.MapGet("/clock", (DevelopmentClock clock) => TypedResults.Ok(ClockResponse.Of(clock)))
            .WithSummary("The development clock and how far it was moved ahead");
        simulate.MapPost("/clock/advance", Advance).WithSummary("Moves the development clock forward (memberships expire, tokens age)");
        simulate.MapPost("/fund-wallet", FundAsync).WithSummary("Credits a wallet on the simulated ledger (at most 10 ALGO per call)");
        simulate.MapGet("/holding/{wallet}/{assetId:long}", GetHoldingAsync)
            .WithSummary("A wallet's holding of an asset on the simulated ledger (opted in, amount, frozen) and whether the asset exists");
        return routes;
    }

    private static async Task<Ok<HoldingResponse>> GetHoldingAsync(string wallet, long assetId, IGrainFactory grains)
    {
        var address = RequestValues.Wallet(wallet);
        var id = (ulong)RequestValues.PositiveId(assetId, "assetId");
        var ledger = grains.GetGrain<ISimulatedLedger>(ISimulatedLedger.Key);
        var holding = await ledger.GetAccountAssetAsync(address, id);
        var asset = await ledger.GetAssetAsync(id);
        return TypedResults.Ok(new HoldingResponse(address, id, asset is not null, holding is not null, holding?.Amount ?? 0, holding?.IsFrozen ?? false));
    }

    private static async Task<Ok<FundResponse>> FundAsync(FundRequest request, IGrainFactory grains)
    {
        var wallet = RequestValues.Wallet(request.WalletAddress ?? request.WalletAddressSnake);
        var amount = request.AmountAlgo ?? request.AmountAlgoSnake ?? 5.0m;
        if (amount is <= 0 or > 10 || !MicroAlgo.IsWholeMicroAlgo(amount))
        {
            throw DomainException.Invalid(ErrorCodes.Validation, "Max 10 ALGO per simulation funding (above 0, at most 6 decimals).");
        }

        var funded = await grains.GetGrain<ISimulatedLedger>(ISimulatedLedger.Key).FundAsync(wallet, (ulong)MicroAlgo.FromAlgo(amount));
        return funded.TxId is { } txId
            ? TypedResults.Ok(new FundResponse("funded", txId, amount, wallet, ExplorerUrl: null, $"Funded {amount} ALGO on the simulated ledger"))
            : throw new DomainException(DomainErrorKind.Unavailable, ErrorCodes.Unavailable, funded.Message ?? "Simulated funding failed.");
    }

    private static Ok<ClockResponse> Advance(AdvanceRequest request, DevelopmentClock clock)
    {
        var seconds = request.Seconds ?? 0;
        if (seconds is <= 0 or > 3_650L * 24 * 3600)
        {
            throw DomainException.Invalid(ErrorCodes.Validation, "seconds must be between 1 and 315360000 (ten years).");
        }

        clock.Advance(TimeSpan.FromSeconds(seconds));
        return TypedResults.Ok(ClockResponse.Of(clock));
    }
}

internal sealed record FundRequest(
    string? WalletAddress,
    [property: JsonPropertyName("wallet_address")] string? WalletAddressSnake,
    decimal? AmountAlgo,
    [property: JsonPropertyName("amount_algo")] decimal? AmountAlgoSnake);

/// <summary>The prototype's shape; <c>explorerUrl</c> is null: the simulated ledger's transactions are on no explorer.</summary>
internal sealed record FundResponse(string Status, string TxId, decimal AmountAlgo, string Wallet, string? ExplorerUrl, string Message);

internal sealed record HoldingResponse(
    [property: JsonPropertyName("wallet")] string Wallet,
    [property: JsonPropertyName("asset_id")] ulong AssetId,
    [property: JsonPropertyName("asset_exists")] bool AssetExists,
    [property: JsonPropertyName("opted_in")] bool OptedIn,
    [property: JsonPropertyName("amount")] ulong Amount,
    [property: JsonPropertyName("is_frozen")] bool IsFrozen);

internal sealed record AdvanceRequest([property: JsonPropertyName("seconds")] long? Seconds);

internal sealed record ClockResponse(
    [property: JsonPropertyName("now")] DateTimeOffset Now,
    [property: JsonPropertyName("offset_seconds")] double OffsetSeconds)
{
    public static ClockResponse Of(DevelopmentClock clock) => new(clock.GetUtcNow(), clock.Offset.TotalSeconds);
}
