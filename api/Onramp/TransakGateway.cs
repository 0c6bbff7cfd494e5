using FanForge.Grains.Onramp;
using FanForge.GrainInterfaces.Errors;
using FanForge.GrainInterfaces.Onramp;
using Microsoft.Extensions.Options;

namespace FanForge.Api.Onramp;

/// <summary>
/// The API's calls to Transak that carry the cluster's access token: a widget session per create-order and the
/// re-fetch of an open order. The token comes from the one <see cref="ITransakAccessToken"/> grain, never from a
/// refresh of our own here, since every refresh revokes the token before it.
/// </summary>
internal sealed class TransakGateway(TransakPartnerClient transak, IGrainFactory grains, IOptions<TransakSettings> options, ILogger<TransakGateway> logger)
{
    public TransakSettings Settings => options.Value;

    /// <summary>A new single-use widget URL for the order (never a cached one: each expires in 5 minutes); null when the session API is off.</summary>
    public async Task<string?> CreateWidgetUrlAsync(WidgetConfig widget, CancellationToken cancellationToken)
    {
        var settings = Settings;
        if (!settings.SessionApiEnabled)
        {
            return null;
        }

        var widgetParams = new TransakWidgetParams(
            settings.ApiKey!, settings.ReferrerDomain!, widget.PartnerOrderId, widget.PartnerCustomerId, widget.WalletAddress, widget.FiatCurrency,
            widget.FiatAmount, widget.CryptoCurrencyCode, widget.Network, ProductsAvailed: "BUY", widget.DisableWalletAddressForm, settings.RedirectUrl?.ToString());
        return await WithAccessTokenAsync(token => transak.CreateWidgetUrlAsync(token, widgetParams, cancellationToken));
    }

    /// <summary>
    /// The order after Transak's current status for it went through the webhook's own path (once per status, forward
    /// only), when the order is still open and Transak's id for it is known; the order as stored if that fails.
    /// </summary>
    public async Task<OnrampOrderView> RefreshAsync(OnrampOrderView order, CancellationToken cancellationToken)
    {
        if (!Settings.SessionApiEnabled || order.Status.IsSettled() || order.TransakOrderId is not { } transakOrderId)
        {
            return order;
        }

        try
        {
            var data = await WithAccessTokenAsync(token => transak.GetOrderAsync(token, transakOrderId, cancellationToken));
            if (TransakOrderReport.Read(data, eventId: null) is not { } report || report.PartnerOrderId != order.PartnerOrderId)
            {
                logger.LogWarning("Transak order {TransakOrderId} does not name partner order {PartnerOrderId}; the stored order stands",
                    transakOrderId, order.PartnerOrderId);
                return order;
            }

            var result = await grains.GetGrain<IOnrampOrder>(order.PartnerOrderId).ApplyWebhookAsync(report.Change);
            logger.LogInformation("Transak order re-fetch for {PartnerOrderId} with status {Status}: {Outcome}",
                order.PartnerOrderId, report.Change.TransakStatus, result.Outcome);
            return result.Order ?? order;
        }
        catch (DomainException e) when (e.Code == TransakPartnerClient.UnavailableCode)
        {
            logger.LogWarning("Re-fetching on-ramp order {PartnerOrderId} from Transak failed ({Reason}); the stored order stands",
                order.PartnerOrderId, e.Message);
            return order;
        }
    }

    private async Task<T> WithAccessTokenAsync<T>(Func<string, Task<T>> call)
    {
        var tokens = grains.GetGrain<ITransakAccessToken>(Settings.ApiKey!);
        for (var attempt = 1; ; attempt++)
        {
            var token = await tokens.GetAsync();
            try
            {
                return await call(token);
            }
            catch (TransakAccessTokenRejectedException) when (attempt == 1)
            {
                // Revoked by a refresh elsewhere (another deployment or the dashboard with the same key): without
                // this, every call would fail until the token's own expiry, days away. One new token, one retry.
                await tokens.InvalidateAsync(token);
            }
            catch (TransakAccessTokenRejectedException)
            {
                throw TransakPartnerClient.Unavailable("Transak refused a freshly refreshed access token.");
            }
        }
    }
}
