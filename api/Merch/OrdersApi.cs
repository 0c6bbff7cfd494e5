using System.Globalization;
using System.Text.Json.Serialization;
using FanForge.Api.Auth;
using FanForge.Api.Responses;
using FanForge.Grains.Algorand;
using FanForge.GrainInterfaces.Merch;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FanForge.Api.Merch;

/// <summary>Orders: placed by the fan (stock reserved, tokens locked), paid on chain with memo <c>ORDER:{id}</c>.</summary>
internal static class OrdersApi
{
    public static IEndpointRouteBuilder MapOrders(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/creator/{wallet}/store/order", PlaceAsync).WithTags("Merch").RequireAuthorization(Policies.Authenticated)
            .WithSummary("Place an order (fanWallet must be the caller); returns the unsigned payment group; X-Idempotency-Key makes retries return the same order");
        routes.MapGet("/fan/{wallet}/orders", GetOrdersAsync).WithTags("Fan").RequireAuthorization(Policies.WalletOwner)
            .WithSummary("The fan's orders, newest first (limit 1..200, offset ≥ 0)");
        routes.MapPost("/fan/{wallet}/orders/{orderId:long}/cancel", CancelAsync).WithTags("Fan").RequireAuthorization(Policies.WalletOwner)
            .WithSummary("Cancel a pending order: its stock and Shawty locks are released at once; again returns it unchanged; "
                + "paid, expired or refunded → 409 order_not_cancellable; a payment that still arrives is owed back (refund_due_algo)");
        return routes;
    }

    private static async Task<Ok<Envelope<PlacedOrder, NoMeta>>> PlaceAsync(
        string wallet, QuoteRequest request, [FromHeader(Name = "X-Idempotency-Key")] string? idempotencyKey, HttpContext context, IGrainFactory grains)
    {
        var (creator, fan) = (RequestValues.Wallet(wallet), RequestValues.Wallet(request.FanWallet));
        context.User.RequireCallerWallet(fan, "fanWallet");

        var id = await grains.GetGrain<IFanOrders>(fan).OpenAsync(idempotencyKey is { Length: > 0 } key ? $"{creator}:{key}" : null);
        var order = grains.GetGrain<IOrder>(id);
        var placed = await order.PlaceAsync(new PlaceOrder(creator, fan, request.Cart(), request.ShawtyAssetIds ?? []));
        var group = await order.BuildPaymentAsync();
        return TypedResults.Ok(Envelope.Of(
            new PlacedOrder(OrderRow.From(placed), new PaymentInstructions(
                placed.Memo, MicroAlgo.ToAlgo(placed.TotalMicroAlgo), placed.TotalMicroAlgo,
                "Pay the creator via TipProxy with this memo; the listener will mark the order as paid.",
                [.. group.Select(Convert.ToBase64String)], placed.ExpiresAt)),
            new NoMeta()));
    }

    private static async Task<Ok<Envelope<OrderRow, NoMeta>>> CancelAsync(string wallet, long orderId, IGrainFactory grains)
    {
        var fan = RequestValues.Wallet(wallet);
        var cancelled = await grains.GetGrain<IOrder>(orderId).CancelAsync(fan);
        return TypedResults.Ok(Envelope.Of(OrderRow.From(cancelled), new NoMeta()));
    }

    private static async Task<Ok<Envelope<IReadOnlyList<OrderRow>, PageMeta>>> GetOrdersAsync(string wallet, int? limit, int? offset, IGrainFactory grains)
    {
        var fan = RequestValues.Wallet(wallet);
        var (take, skip) = RequestValues.Page(limit, offset, 50, 200);

        var (ids, total) = await grains.GetGrain<IFanOrders>(fan).GetPageAsync(skip, take);
        var orders = await Task.WhenAll(ids.Select(id => grains.GetGrain<IOrder>(id).GetAsync()));
        var rows = orders.OfType<OrderView>().Select(OrderRow.From).ToList();
        return TypedResults.Ok(Envelope.Of<IReadOnlyList<OrderRow>, PageMeta>(rows, new PageMeta(take, skip, skip, total, skip + ids.Count < total)));
    }
}

internal sealed record OrderRow(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("creator_wallet")] string CreatorWallet,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("subtotal_algo")] decimal SubtotalAlgo,
    [property: JsonPropertyName("discount_algo")] decimal DiscountAlgo,
    [property: JsonPropertyName("total_algo")] decimal TotalAlgo,
    [property: JsonPropertyName("total_micro")] long TotalMicro,
    [property: JsonPropertyName("paid_algo")] decimal PaidAlgo,
    [property: JsonPropertyName("refund_due_algo")] decimal RefundDueAlgo,
    [property: JsonPropertyName("applied_discount_rule_id")] long? AppliedDiscountRuleId,
    [property: JsonPropertyName("shawty_asset_ids_used")] IReadOnlyList<ulong> ShawtyAssetIdsUsed,
    [property: JsonPropertyName("tx_id")] string? TxId,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("expires_at")] DateTimeOffset ExpiresAt,
    [property: JsonPropertyName("paid_at")] DateTimeOffset? PaidAt)
{
    /// <summary>The prototype's status names.</summary>
    public static string StatusName(OrderStatus status) => status switch
    {
        OrderStatus.PendingPayment => "PENDING_PAYMENT",
        OrderStatus.Paid => "PAID",
        OrderStatus.Expired => "EXPIRED",
        OrderStatus.Cancelled => "CANCELLED",
        _ => status.ToString().ToUpper(CultureInfo.InvariantCulture),
    };

    public static OrderRow From(OrderView o) => new(
        o.Id, o.Creator, StatusName(o.Status), MicroAlgo.ToAlgo(o.SubtotalMicroAlgo), MicroAlgo.ToAlgo(o.DiscountMicroAlgo), MicroAlgo.ToAlgo(o.TotalMicroAlgo),
        o.TotalMicroAlgo, MicroAlgo.ToAlgo(o.PaidMicroAlgo), MicroAlgo.ToAlgo(o.RefundDueMicroAlgo), o.AppliedRuleId, o.ShawtyTokens, o.TxId, o.CreatedAt, o.ExpiresAt, o.PaidAt);
}

internal sealed record PaymentInstructions(
    [property: JsonPropertyName("memo")] string Memo,
    [property: JsonPropertyName("amount_algo")] decimal AmountAlgo,
    [property: JsonPropertyName("amount_micro")] long AmountMicro,
    [property: JsonPropertyName("instructions")] string Instructions,
    [property: JsonPropertyName("unsigned_txns")] IReadOnlyList<string> UnsignedTxns,
    [property: JsonPropertyName("pay_before")] DateTimeOffset PayBefore);

internal sealed record PlacedOrder([property: JsonPropertyName("order")] OrderRow Order, [property: JsonPropertyName("payment")] PaymentInstructions Payment);

