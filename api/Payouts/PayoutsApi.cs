using System.Text.Json.Serialization;
using FanForge.Api.Audit;
using FanForge.Api.Auth;
using FanForge.Api.Responses;
using FanForge.Grains.Algorand;
using FanForge.Grains.Payouts;
using FanForge.GrainInterfaces.Audit;
using FanForge.GrainInterfaces.Errors;
using FanForge.GrainInterfaces.Payouts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FanForge.Api.Payouts;

/// <summary>
/// A creator's scheduled payouts: the platform triggers the creator's TipProxy <c>withdraw</c> weekly or above a
/// threshold, and it pays only the creator stored in the app. The creator's own routes, private to the creator.
/// </summary>
internal static class PayoutsApi
{
    /// <summary>Far above any accepted threshold: larger input is refused before it is converted to micro-ALGO.</summary>
    private const decimal MaxAlgoInput = 1_000_000_000m;

    public static IEndpointRouteBuilder MapPayouts(this IEndpointRouteBuilder routes)
    {
        var creator = routes.MapGroup("/creator/{wallet}").WithTags("Payouts").RequireAuthorization(Policies.Creator);
        creator.MapGet("/payouts", GetAsync)
            .WithSummary("The payout schedule and the recent payouts, newest first (limit 1–100, default 20)");
        creator.MapPut("/payouts/schedule", PutScheduleAsync).Audited(AuditKinds.PayoutScheduleChanged)
            .WithSummary("Set the payout schedule: mode weekly (once per ISO week, UTC), threshold (threshold_algo 1–1,000,000 above the "
                + "app's minimum balance) or off; the same schedule again changes nothing; bad input → 400 invalid_payout_schedule, nothing changed");
        return routes;
    }

    private static async Task<Ok<PayoutsResponse>> GetAsync(string wallet, int? limit, IGrainFactory grains)
    {
        var creator = RequestValues.Wallet(wallet);
        var take = RequestValues.Limit(limit, 20, ICreatorPayouts.KeptPayouts);
        return TypedResults.Ok(PayoutsResponse.From(await grains.GetGrain<ICreatorPayouts>(creator).GetAsync(take), changed: null));
    }

    private static async Task<Ok<PayoutsResponse>> PutScheduleAsync(
        string wallet, PayoutScheduleRequest request, HttpContext context, IGrainFactory grains, AuditRecorder audit)
    {
        var creator = RequestValues.Wallet(wallet);
        var schedule = new PayoutSchedule(Mode(request.Mode), ThresholdMicro(request.ThresholdAlgo));
        var result = await grains.GetGrain<ICreatorPayouts>(creator).SetScheduleAsync(schedule);
        var response = PayoutsResponse.From(result.View, result.Changed);
        // Keyed by when the schedule in force was set: the change that made it, whether by this request or by an earlier
        // one whose recording failed (the same schedule again changes nothing and records it then, once).
        await audit.RecordAsync(context, new AuditChange(
            AuditKinds.PayoutScheduleChanged, $"payouts:{creator}:schedule@{result.View.Since!.Value.UtcTicks}", $"payouts:{creator}", creator,
            AuditChanges.Diff(null, response.Schedule)));
        return TypedResults.Ok(response);
    }

    private static PayoutMode Mode(string? mode) => mode switch
    {
        "weekly" => PayoutMode.Weekly,
        "threshold" => PayoutMode.Threshold,
        "off" => PayoutMode.Off,
        _ => throw Invalid("mode must be \"weekly\", \"threshold\" or \"off\"."),
    };

    private static long? ThresholdMicro(decimal? algo) => algo switch
    {
        null => null,
        <= 0 or > MaxAlgoInput => throw Invalid("threshold_algo must be 1 to 1,000,000 ALGO."),
        { } value when !MicroAlgo.IsWholeMicroAlgo(value) => throw Invalid("threshold_algo must have at most 6 decimals."),
        { } value => MicroAlgo.FromAlgo(value),
    };

    private static DomainException Invalid(string message) => DomainException.Invalid(PayoutErrors.InvalidPayoutSchedule, message);

    internal static string Name(PayoutMode mode) => mode switch
    {
        PayoutMode.Weekly => "weekly",
        PayoutMode.Threshold => "threshold",
        _ => "off",
    };
}

internal sealed record PayoutScheduleRequest(
    [property: JsonPropertyName("mode")] string? Mode,
    [property: JsonPropertyName("threshold_algo")] decimal? ThresholdAlgo);

internal sealed record PayoutScheduleFields(
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("threshold_algo")] decimal? ThresholdAlgo,
    [property: JsonPropertyName("threshold_micro")] long? ThresholdMicro,
    [property: JsonPropertyName("since")] DateTimeOffset? Since,
    [property: JsonPropertyName("minimum_payout_micro")] long MinimumPayoutMicro);

internal sealed record PayoutRow(
    [property: JsonPropertyName("period")] string Period,
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("amount_algo")] decimal AmountAlgo,
    [property: JsonPropertyName("amount_micro")] long AmountMicro,
    [property: JsonPropertyName("app_id")] ulong AppId,
    [property: JsonPropertyName("tx_id")] string? TxId,
    [property: JsonPropertyName("confirmed_round")] ulong? ConfirmedRound,
    [property: JsonPropertyName("recorded_at")] DateTimeOffset RecordedAt,
    [property: JsonPropertyName("updated_at")] DateTimeOffset UpdatedAt,
    [property: JsonPropertyName("detail")] string? Detail);

internal sealed record PayoutsResponse(
    [property: JsonPropertyName("creator_wallet")] string CreatorWallet,
    [property: JsonPropertyName("schedule")] PayoutScheduleFields Schedule,
    [property: JsonPropertyName("payouts")] IReadOnlyList<PayoutRow> Payouts,
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("changed"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Changed)
{
    public static PayoutsResponse From(PayoutsView view, bool? changed) => new(
        view.Creator,
        new PayoutScheduleFields(
            PayoutsApi.Name(view.Schedule.Mode),
            view.Schedule.ThresholdMicroAlgo is { } threshold ? MicroAlgo.ToAlgo(threshold) : null,
            view.Schedule.ThresholdMicroAlgo,
            view.Since,
            PayoutRules.MinimumPayoutMicroAlgo),
        [.. view.Payouts.Select(p => new PayoutRow(
            p.Period, PayoutsApi.Name(p.Mode), p.Status, MicroAlgo.ToAlgo(p.AmountMicroAlgo), p.AmountMicroAlgo, p.AppId, p.TxId,
            p.ConfirmedRound, p.RecordedAt, p.UpdatedAt, p.Detail))],
        view.TotalKept,
        changed);
}
