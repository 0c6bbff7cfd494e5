using FanForge.GrainInterfaces.Nfts;

namespace FanForge.Grains.Nfts;

/// <summary>
/// What each kind of NFT is on the chain. Every kind keeps the platform as clawback so the platform can deliver from
/// custody and take back what policy says; soulbound kinds are also default-frozen so the fan cannot pass them on.
/// </summary>
public sealed record NftDesign(string NftClass, string StickerType, string UnitName, string AssetName, string Description, bool Soulbound)
{
    public static NftDesign For(MintRequest request) => request.Kind switch
    {
        NftKind.Butki => new("butki", "soulbound", "BUTKI", BadgeName(request.BadgeNumber),
            $"Butki loyalty badge #{request.BadgeNumber}: tips to creator {request.Creator}. Soulbound.", Soulbound: true),
        NftKind.Bauni => new("bauni", "soulbound", "BAUNI", "Bauni Membership",
            $"Bauni membership of creator {request.Creator}. Soulbound.", Soulbound: true),
        NftKind.Shawty => new("shawty", "golden", "SHAWTY", "Shawty Token",
            $"Shawty utility token of creator {request.Creator}: redeemable for merch and discounts.", Soulbound: false),
        _ => throw new ArgumentOutOfRangeException(nameof(request), request.Kind, "Unknown NFT kind"),
    };

    /// <summary>ASA names hold at most 32 bytes.</summary>
    public static string BadgeName(int badgeNumber) => $"Butki Badge #{badgeNumber}";
}
