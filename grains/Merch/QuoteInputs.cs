using FanForge.GrainInterfaces.Errors;
using FanForge.GrainInterfaces.Loyalty;
using FanForge.GrainInterfaces.Memberships;
using FanForge.GrainInterfaces.Merch;
using FanForge.GrainInterfaces.Shawty;

namespace FanForge.Grains.Merch;

/// <summary>Reads what a quote depends on from the grains that own it, so <see cref="MerchQuote"/> stays pure.</summary>
public static class QuoteInputs
{
    public const string InvalidShawtyToken = "invalid_shawty_token";

    public static async Task<QuoteInput> GatherAsync(IGrainFactory grains, string creator, string fan, IReadOnlyList<CartLine> cart, IReadOnlyList<ulong> shawtyAssetIds)
    {
        var pair = FanLoyaltyKey.For(creator, fan);
        var products = Task.WhenAll(cart.Select(l => l.ProductId).Distinct().Select(id => grains.GetGrain<IProduct>(id).GetAsync()));
        var rules = grains.GetGrain<ICreatorDiscounts>(creator).GetAllAsync();
        var membership = grains.GetGrain<IMembership>(pair).GetAsync();
        var uses = grains.GetGrain<IDiscountUsage>(pair).GetAsync();
        var distinctTokens = shawtyAssetIds.Distinct().ToList();
        var tokens = Task.WhenAll(distinctTokens.Select(id => grains.GetGrain<IShawtyToken>((long)id).GetAsync()));

        // A token offered for a discount must be this fan's, of this creator, and neither burned nor locked.
        var offered = await tokens;
        for (var i = 0; i < distinctTokens.Count; i++)
        {
            if (offered[i] is not { } token || token.Owner != fan || token.Creator != creator || !token.IsRedeemable)
            {
                throw DomainException.Invalid(InvalidShawtyToken, $"Invalid Shawty token for discount: {distinctTokens[i]}");
            }
        }

        return new QuoteInput(
            creator,
            cart,
            (await products).OfType<ProductView>().ToDictionary(p => p.Id),
            await rules,
            distinctTokens,
            (await membership).IsActive,
            await uses);
    }
}
