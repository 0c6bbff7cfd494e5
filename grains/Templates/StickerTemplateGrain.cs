using FanForge.GrainInterfaces.Errors;
using FanForge.GrainInterfaces.Templates;

namespace FanForge.Grains.Templates;

[GenerateSerializer, Alias("ff.StickerTemplateState")]
public sealed class StickerTemplateState
{
    [Id(0)] public StickerTemplate? Template { get; set; }
    [Id(1)] public bool Deleted { get; set; }

    /// <summary>Fingerprints of the latest mint keys counted (<see cref="FingerprintWindow"/>).</summary>
    [Id(2)] public List<long> RecentMints { get; set; } = [];
}

/// <summary>
/// Key: template id. A mint takes the template before it signs anything and keeps the id it got, so it asks again
/// only after a crash in between, soon: a window of recent mint keys keeps the count exact.
/// </summary>
[GrainType("ff.sticker-template")]
public sealed class StickerTemplateGrain(
    [PersistentState("sticker-template", StorageNames.Default)] IPersistentState<StickerTemplateState> state) : Grain, IStickerTemplate
{
    private const int MintWindow = 512;
    private FingerprintWindow? recentMints;

    private long Id => this.GetPrimaryKeyLong();

    public async Task<StickerTemplate> CreateAsync(StickerTemplate template)
    {
        if (state.State.Template is { } existing)
        {
            return existing.Id == template.Id && existing.CreatorWallet == template.CreatorWallet
                ? existing
                : throw DomainException.Conflict(ErrorCodes.Conflict, $"Template {Id} already exists.");
        }

        state.State.Template = template with { Id = Id, MintCount = 0 };
        await state.WriteStateAsync();
        return state.State.Template;
    }

    public Task<StickerTemplate?> GetAsync() => Task.FromResult(state.State.Deleted ? null : state.State.Template);

    public async Task<StickerTemplate> TakeForMintAsync(string mintKey)
    {
        var template = Live();
        recentMints ??= new FingerprintWindow(state.State.RecentMints, MintWindow);
        if (!recentMints.TryAdd(mintKey))
        {
            return template;
        }

        state.State.Template = template with { MintCount = template.MintCount + 1 };
        await state.WriteStateAsync();
        return state.State.Template;
    }

    public async Task<StickerTemplate> DeleteAsync(string creator)
    {
        var template = state.State.Template;
        if (template is null || template.CreatorWallet != creator)
        {
            throw NotFound(creator);
        }

        if (state.State.Deleted)
        {
            return template;
        }

        if (template.MintCount > 0)
        {
            throw DomainException.Conflict(TemplateErrors.InUse, $"Cannot delete template with {template.MintCount} minted NFTs", new { template_id = Id, mint_count = template.MintCount });
        }

        state.State.Deleted = true;
        await state.WriteStateAsync();
        return template;
    }

    private StickerTemplate Live() => state.State is { Template: { } template, Deleted: false }
        ? template
        : throw new DomainException(DomainErrorKind.NotFound, ErrorCodes.NotFound, $"Sticker template {Id} not found");

    private DomainException NotFound(string creator) =>
        new(DomainErrorKind.NotFound, ErrorCodes.NotFound, $"Template {Id} not found for {creator[..8]}...");
}
