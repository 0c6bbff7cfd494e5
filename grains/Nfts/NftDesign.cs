using FanForge.Grains.Templates;
using FanForge.GrainInterfaces.Nfts;
using FanForge.GrainInterfaces.Templates;

namespace FanForge.Grains.Nfts;

/// <summary>
/// What each kind of NFT is on the chain. Every kind keeps the platform as clawback so the platform can deliver from
/// custody and take back what policy says; soulbound kinds are also default-frozen so the fan cannot pass them on.
/// A creator's template names the asset (its first 32 bytes, as the prototype); the kind decides everything else.
/// </summary>
public sealed record NftDesign(string NftClass, string StickerType, string UnitName, string AssetName, string Description, bool Soulbound)
{
    public static NftDesign For(MintRequest request, StickerTemplate? template = null)
    {
        var design = request.Kind switch
        {
            NftKind.Butki => new NftDesign("butki", "soulbound", "BUTKI", BadgeName(request.BadgeNumber),
                $"Butki loyalty badge #{request.BadgeNumber}: tips to creator {request.Creator}. Soulbound.", Soulbound: true),
            NftKind.Bauni => new("bauni", "soulbound", "BAUNI", "Bauni Membership",
                $"Bauni membership of creator {request.Creator}. Soulbound.", Soulbound: true),
            NftKind.Shawty => new("shawty", "golden", "SHAWTY", "Shawty Token",
                $"Shawty utility token of creator {request.Creator}: redeemable for merch and discounts.", Soulbound: false),
            NftKind.Sticker => new("sticker", "soulbound", "STICKER", "Sticker", $"Sticker by creator {request.Creator}. Soulbound.", Soulbound: true),
            NftKind.Golden => new("golden", "golden", "GOLDEN", "Golden Sticker", $"Golden sticker by creator {request.Creator}. Tradable.", Soulbound: false),
            _ => throw new ArgumentOutOfRangeException(nameof(request), request.Kind, "Unknown NFT kind"),
        };
        return template is null ? design : design with { AssetName = TemplateRules.AssetName(template.Name) };
    }

    /// <summary>ASA names hold at most 32 bytes.</summary>
    public static string BadgeName(int badgeNumber) => $"Butki Badge #{badgeNumber}";
}
