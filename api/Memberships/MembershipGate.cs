using FanForge.Grains.Algorand;
using FanForge.GrainInterfaces.Errors;
using FanForge.GrainInterfaces.Loyalty;
using FanForge.GrainInterfaces.Memberships;

namespace FanForge.Api.Memberships;

/// <summary>The one check for members-only things (merch, gated content): an active Bauni membership, now.</summary>
internal static class MembershipGate
{
    public const string MembershipRequired = "membership_required";

    /// <summary>Returns the active membership, or throws 403 <c>membership_required</c> with the price to buy one.</summary>
    public static async Task<MembershipView> RequireActiveAsync(IGrainFactory grains, string fan, string creator)
    {
        var membership = await grains.GetGrain<IMembership>(FanLoyaltyKey.For(creator, fan)).GetAsync();
        if (membership.IsActive)
        {
            return membership;
        }

        var price = BauniApi.PriceText(membership);
        var message = $"Active Bauni membership required. Purchase for {price} ALGO with memo 'MEMBERSHIP:BAUNI'";
        throw new DomainException(DomainErrorKind.Forbidden, MembershipRequired, message,
            new { error = MembershipRequired, message, cost_algo = MicroAlgo.ToAlgo(membership.PriceMicroAlgo) });
    }
}
