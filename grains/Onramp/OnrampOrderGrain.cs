using FanForge.GrainInterfaces.Errors;
using FanForge.GrainInterfaces.Onramp;

namespace FanForge.Grains.Onramp;

[GenerateSerializer, Alias("ff.OnrampOrderState")]
public sealed class OnrampOrderState
{
    [Id(0)] public CreateOnrampOrder? Request { get; set; }
    [Id(1)] public OnrampStatus Status { get; set; }
    [Id(2)] public long? CryptoMicroAlgo { get; set; }
    [Id(3)] public string? TransakOrderId { get; set; }
    [Id(4)] public string? FundedWallet { get; set; }
    [Id(5)] public string? TransactionHash { get; set; }
    [Id(6)] public string? Issue { get; set; }
    [Id(7)] public DateTimeOffset CreatedAt { get; set; }
    [Id(8)] public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>Transak statuses already applied to this order: the webhook's dedupe key is (partner order id, status).</summary>
    [Id(9)] public List<string> SeenStatuses { get; set; } = [];
}

/// <summary>
/// Key: partner order id. Statuses only move forward (pending, processing, a final outcome, then refunded), so a
/// late or replayed webhook never regresses the order. Completion records what Transak delivered to the fan's
/// wallet; nothing is sent on chain from the platform (the fan, not the platform, is the beneficiary).
/// </summary>
[GrainType("ff.onramp-order")]
public sealed class OnrampOrderGrain(
    [PersistentState("onramp-order", StorageNames.Default)] IPersistentState<OnrampOrderState> state,
    BusinessClock time) : Grain, IOnrampOrder
{
    public const string OnrampOrderConflict = "onramp_order_conflict";

    /// <summary>Transak's status names, each to the status it moves an order to.</summary>
    public static OnrampStatus? StatusOf(string transakStatus) => transakStatus switch
    {
        "AWAITING_PAYMENT_FROM_USER" or "PAYMENT_DONE_MARKED_BY_USER" or "PROCESSING" or "PENDING_DELIVERY_FROM_TRANSAK"
            or "ON_HOLD_PENDING_DELIVERY_FROM_TRANSAK" => OnrampStatus.Processing,
        "COMPLETED" => OnrampStatus.Completed,
        "FAILED" => OnrampStatus.Failed,
        "EXPIRED" => OnrampStatus.Expired,
        "CANCELLED" => OnrampStatus.Cancelled,
        "REFUNDED" => OnrampStatus.Refunded,
        _ => null,
    };

    private string PartnerOrderId => this.GetPrimaryKeyString();

    public async Task<OnrampOrderView> CreateAsync(CreateOnrampOrder request)
    {
        if (state.State.Request is { } created)
        {
            return created == request
                ? View(created)
                : throw DomainException.Conflict(OnrampOrderConflict, $"On-ramp order {PartnerOrderId} was created with different terms.");
        }

        state.State = new OnrampOrderState { Request = request, Status = OnrampStatus.Pending, CreatedAt = time.GetUtcNow() };
        await state.WriteStateAsync();
        return View(request);
    }

    public Task<OnrampOrderView?> GetAsync() =>
        Task.FromResult(state.State.Request is { } request ? View(request) : null);

    public async Task<OnrampWebhookResult> ApplyWebhookAsync(OnrampWebhook webhook)
    {
        if (state.State.Request is not { } request)
        {
            return new(OnrampWebhookOutcome.UnknownOrder, null);
        }

        if (StatusOf(webhook.TransakStatus) is not { } next)
        {
            return new(OnrampWebhookOutcome.Unhandled, View(request));
        }

        if (state.State.SeenStatuses.Contains(webhook.TransakStatus))
        {
            return new(OnrampWebhookOutcome.Duplicate, View(request));
        }

        state.State.SeenStatuses.Add(webhook.TransakStatus);
        state.State.TransakOrderId ??= webhook.TransakOrderId;
        var outcome = OnrampWebhookOutcome.Stale;
        if (next.Rank() > state.State.Status.Rank())
        {
            outcome = OnrampWebhookOutcome.Applied;
            state.State.Status = next;
            if (next == OnrampStatus.Completed)
            {
                state.State.CryptoMicroAlgo = webhook.CryptoMicroAlgo;
                state.State.FundedWallet = webhook.WalletAddress;
                state.State.TransactionHash = webhook.TransactionHash;
                state.State.CompletedAt = time.GetUtcNow();
                if (webhook.WalletAddress is { } wallet && !string.Equals(wallet, request.FanWallet, StringComparison.Ordinal))
                {
                    state.State.Issue = $"Transak reports delivery to {wallet}, not the fan's wallet.";
                }
            }
        }

        await state.WriteStateAsync();
        return new(outcome, View(request));
    }

    private OnrampOrderView View(CreateOnrampOrder request) => new(
        PartnerOrderId, request.OrderId, request.FanWallet, request.CreatorWallet, request.FiatMinor, request.FiatCurrency,
        state.State.Status, state.State.CryptoMicroAlgo, state.State.TransakOrderId, state.State.FundedWallet,
        state.State.TransactionHash, state.State.Issue, state.State.CreatedAt, state.State.CompletedAt);
}
