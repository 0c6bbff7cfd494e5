using System.Globalization;
using System.Text.Json.Serialization;
using FanForge.Api.Auth;
using FanForge.Api.Responses;
using FanForge.Grains.Chain;
using FanForge.Grains.Onramp;
using FanForge.GrainInterfaces.Errors;
using FanForge.GrainInterfaces.Onramp;
using FanForge.Silo;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace FanForge.Api.Onramp;

/// <summary>
/// The fiat on-ramp through Transak: the fan buys ALGO delivered straight to the fan's own wallet. Each order gets a
/// single-use widget URL from Transak's session API. Webhooks are HS256 JWTs keyed with the Partner Access Token, and
/// they and re-fetches of open orders are applied once per (partner order id, status) and only forward. Completion
/// records the funding; the platform sends nothing on chain (the prototype's platform-sent tip credited the platform).
/// </summary>
internal static class OnrampApi
{
    /// <summary>The prototype's list size for a fan's orders.</summary>
    public const int FanOrdersShown = 20;

    /// <summary>Far above any Transak webhook; a larger body is refused before it is read.</summary>
    private const int MaxWebhookBytes = 256 * 1024;

    public static IServiceCollection AddTransakOnramp(this IServiceCollection services)
    {
        // The settings are registered, and checked on start, with the partner client: silos read them too.
        services.AddTransakPartnerClient();
        services.AddSingleton<TransakGateway>();
        services.AddSingleton<TransakWebhookVerifier>();
        return services;
    }

    public static IEndpointRouteBuilder MapOnramp(this IEndpointRouteBuilder routes)
    {
        var onramp = routes.MapGroup("/onramp").WithTags("Onramp");
        onramp.MapGet("/config", GetConfig).AllowAnonymous()
            .WithSummary("The on-ramp's settings; simulationMode and a null apiKey without Transak:ApiKey");
        onramp.MapPost("/create-order", CreateOrderAsync).RequireAuthorization(Policies.Authenticated)
            .WithSummary("Open a Transak order (fanWallet must be the caller) with a fresh single-use widgetUrl; the widget delivers to the fan's wallet; X-Idempotency-Key makes retries return the same order; Transak down: 502 onramp_unavailable");
        onramp.MapPost("/webhook", WebhookAsync).AllowAnonymous()
            .WithSummary("Transak's {data:<HS256 JWT>} webhook, applied once per (order, status) and never backwards; 403 in simulation mode");
        onramp.MapGet("/order/{partnerOrderId}", GetOrderAsync).RequireAuthorization(Policies.Authenticated)
            .WithSummary("One on-ramp order of the caller; an open order is first brought up to date from Transak's order API");
        onramp.MapGet("/fan/{wallet}/orders", GetFanOrdersAsync).RequireAuthorization(Policies.WalletOwner)
            .WithSummary("The fan's last 20 on-ramp orders, newest first");
        return routes;
    }

    private static Ok<OnrampConfig> GetConfig(IOptions<TransakSettings> options, IServiceProvider services)
    {
        var s = options.Value;
        return TypedResults.Ok(new OnrampConfig(
            s.SimulationMode, s.Environment, services.GetService<PlatformAccount>()?.Address.ToString(), s.PlatformFeePercent,
            s.SupportedFiat, s.SupportedCrypto, s.SupportedPaymentMethods, s.SimulationMode ? null : s.ApiKey, s.MockConversionRate));
    }

    private static async Task<Ok<CreatedOnrampOrder>> CreateOrderAsync(
        CreateOrderRequest request, [FromHeader(Name = RequestValues.IdempotencyHeader)] string? idempotencyHeader, HttpContext context,
        TransakGateway transak, IGrainFactory grains)
    {
        var settings = transak.Settings;
        var fan = RequestValues.Wallet(request.Fan);
        context.User.RequireCallerWallet(fan, "fanWallet");
        var creator = RequestValues.Wallet(request.Creator);
        var currency = (request.Currency ?? settings.SupportedFiat[0]).ToUpperInvariant();
        if (!settings.SupportedFiat.Contains(currency, StringComparer.Ordinal))
        {
            throw DomainException.Invalid(OnrampErrors.UnsupportedCurrency, $"fiatCurrency must be one of {string.Join(", ", settings.SupportedFiat)}.");
        }

        var fiatMinor = FiatMinor(request.Amount, settings.MaxFiatAmount);
        var idempotencyKey = RequestValues.IdempotencyKey(idempotencyHeader);

        var (partnerOrderId, orderId) = await grains.GetGrain<IFanOnrampOrders>(fan).OpenAsync(creator, idempotencyKey);
        var order = await grains.GetGrain<IOnrampOrder>(partnerOrderId).CreateAsync(new CreateOnrampOrder(fan, creator, fiatMinor, currency, orderId));

        // The crypto goes to the fan's wallet, never the platform's: the fan is the beneficiary (the prototype credited the platform).
        var widget = new WidgetConfig(
            settings.SimulationMode ? null : settings.ApiKey, settings.Environment, order.FiatCurrency, settings.SupportedCrypto[0], "algorand",
            Fiat(order.FiatMinor), order.FanWallet, settings.SupportedPaymentMethods[0], partnerOrderId, order.FanWallet[..16],
            DisableWalletAddressForm: true, HideMenu: true, ThemeColor: "6366f1");
        // Asked after the order is stored: if Transak is down, the 502 leaves the order, and a retry under the same
        // idempotency key finds it and asks again (a widget URL is single-use, so it is never replayed).
        var widgetUrl = await transak.CreateWidgetUrlAsync(widget, context.RequestAborted);
        return TypedResults.Ok(new CreatedOnrampOrder(partnerOrderId, widget, order.OrderId, widgetUrl));
    }

    private static async Task<Results<Ok<WebhookReply>, StatusCodeHttpResult>> WebhookAsync(
        HttpRequest request, TransakWebhookVerifier verifier, IGrainFactory grains, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxWebhookBytes)
        {
            return TypedResults.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        if (buffer.Length > MaxWebhookBytes)
        {
            return TypedResults.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        var claims = await verifier.VerifyAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
        var logger = loggers.CreateLogger("FanForge.Api.Onramp.Webhook");
        var eventId = TransakOrderReport.Text(claims, "eventID");
        if (!claims.TryGetProperty("webhookData", out var data) || TransakOrderReport.Read(data, eventId) is not (var partnerOrderId, var webhook))
        {
            throw DomainException.Invalid(ErrorCodes.Validation, "The webhook's webhookData needs partnerOrderId and status.");
        }

        var status = webhook.TransakStatus;
        var result = await grains.GetGrain<IOnrampOrder>(partnerOrderId).ApplyWebhookAsync(webhook);
        logger.LogInformation("Transak webhook {EventId} for {PartnerOrderId} with status {Status}: {Outcome}, order {OrderStatus}",
            eventId, partnerOrderId, status, result.Outcome, result.Order?.Status);

        var orderStatus = result.Order is { } order ? StatusName(order.Status) : null;
        return TypedResults.Ok(result.Outcome switch
        {
            OnrampWebhookOutcome.UnknownOrder => new WebhookReply("ignored", "unknown_order", null),
            OnrampWebhookOutcome.Unhandled => new WebhookReply("ignored", $"unhandled_status_{status}", orderStatus),
            OnrampWebhookOutcome.Duplicate => new WebhookReply("duplicate", null, orderStatus),
            OnrampWebhookOutcome.Stale => new WebhookReply("ignored", "stale_status", orderStatus),
            _ => new WebhookReply(orderStatus!.ToLowerInvariant(), null, orderStatus),
        });
    }

    private static async Task<Ok<OnrampOrderResponse>> GetOrderAsync(string partnerOrderId, HttpContext context, IGrainFactory grains, TransakGateway transak)
    {
        var stored = partnerOrderId.Length <= 200 ? await grains.GetGrain<IOnrampOrder>(partnerOrderId).GetAsync() : null;
        if (stored is null || !string.Equals(stored.FanWallet, context.User.WalletOf(), StringComparison.Ordinal))
        {
            // Someone else's order reads as missing: partner order ids are not a way to probe other fans' purchases.
            throw DomainException.NotFound("Order", partnerOrderId);
        }

        var order = await transak.RefreshAsync(stored, context.RequestAborted);
        return TypedResults.Ok(new OnrampOrderResponse(
            order.PartnerOrderId, StatusName(order.Status), Fiat(order.FiatMinor), order.FiatCurrency, Algo(order.CryptoMicroAlgo),
            PlatformFee: null, TipAmount: null, TipTxId: null, order.FundedWallet, order.TransactionHash, order.CreatedAt, order.CompletedAt));
    }

    private static async Task<Ok<FanOnrampOrders>> GetFanOrdersAsync(string wallet, IGrainFactory grains)
    {
        var fan = RequestValues.Wallet(wallet);
        var ids = await grains.GetGrain<IFanOnrampOrders>(fan).GetRecentAsync(FanOrdersShown);
        var orders = await Task.WhenAll(ids.Select(id => grains.GetGrain<IOnrampOrder>(id).GetAsync()));
        return TypedResults.Ok(new FanOnrampOrders([.. orders.OfType<OnrampOrderView>().Select(o => new FanOnrampOrderRow(
            o.PartnerOrderId, StatusName(o.Status), Fiat(o.FiatMinor), o.FiatCurrency, Algo(o.CryptoMicroAlgo), TipAmount: null, o.CreatedAt))]));
    }

    public static string StatusName(OnrampStatus status) => status.ToString().ToUpperInvariant();

    /// <summary>A positive fiat amount with at most two decimals, up to the configured maximum, in minor units; else 400.</summary>
    private static long FiatMinor(decimal? amount, decimal max) =>
        amount is { } a && a > 0 && a <= max && decimal.Round(a, 2) == a
            ? (long)(a * 100)
            : throw DomainException.Invalid(ErrorCodes.Validation, $"fiatAmount must be greater than 0 and at most {max.ToString(CultureInfo.InvariantCulture)}, with at most 2 decimals.");

    private static decimal Fiat(long minor) => minor / 100m;

    private static decimal? Algo(long? micro) => micro / 1_000_000m;
}

/// <summary>The create-order body; like the prototype, it accepts camelCase and snake_case names.</summary>
internal sealed record CreateOrderRequest(string? FanWallet, string? CreatorWallet, decimal? FiatAmount, string? FiatCurrency)
{
    [JsonPropertyName("fan_wallet")] public string? FanWalletSnake { get; init; }

    [JsonPropertyName("creator_wallet")] public string? CreatorWalletSnake { get; init; }

    [JsonPropertyName("fiat_amount")] public decimal? FiatAmountSnake { get; init; }

    [JsonPropertyName("fiat_currency")] public string? FiatCurrencySnake { get; init; }

    public string? Fan => FanWallet ?? FanWalletSnake;

    public string? Creator => CreatorWallet ?? CreatorWalletSnake;

    public decimal? Amount => FiatAmount ?? FiatAmountSnake;

    public string? Currency => FiatCurrency ?? FiatCurrencySnake;
}

internal sealed record OnrampConfig(
    bool SimulationMode, string Environment, string? PlatformWallet, double PlatformFeePercent, IReadOnlyList<string> SupportedFiat,
    IReadOnlyList<string> SupportedCrypto, IReadOnlyList<string> SupportedPaymentMethods, string? ApiKey, double MockConversionRate);

internal sealed record WidgetConfig(
    string? ApiKey, string Environment, string FiatCurrency, string CryptoCurrencyCode, string Network, decimal FiatAmount,
    string WalletAddress, string PaymentMethod, string PartnerOrderId, string PartnerCustomerId, bool DisableWalletAddressForm,
    bool HideMenu, string ThemeColor);

/// <summary>The prototype's reply plus <c>widgetUrl</c>: Transak's single-use session URL (null in simulation mode).</summary>
internal sealed record CreatedOnrampOrder(string PartnerOrderId, WidgetConfig WidgetConfig, long OrderId, string? WidgetUrl);

internal sealed record WebhookReply(
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason,
    string? OrderStatus);

internal sealed record OnrampOrderResponse(
    string PartnerOrderId, string Status, decimal FiatAmount, string FiatCurrency, decimal? CryptoAmount, decimal? PlatformFee,
    decimal? TipAmount, string? TipTxId, string? FundedWallet, string? TransactionHash, DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt);

internal sealed record FanOnrampOrderRow(
    string PartnerOrderId, string Status, decimal FiatAmount, string FiatCurrency, decimal? CryptoAmount, decimal? TipAmount, DateTimeOffset CreatedAt);

internal sealed record FanOnrampOrders(IReadOnlyList<FanOnrampOrderRow> Orders);
