using FanForge.GrainInterfaces.Errors;
using FanForge.GrainInterfaces.Sequences;
using FanForge.GrainInterfaces.Templates;

namespace FanForge.Grains.Templates;

/// <summary>What the creator's index knows of a template: enough for the limit, uniqueness and category look-ups.</summary>
[GenerateSerializer, Immutable, Alias("ff.TemplateEntry")]
public sealed record TemplateEntry([property: Id(0)] long Id, [property: Id(1)] TemplateDraft Draft, [property: Id(2)] string? IdempotencyKey);

[GenerateSerializer, Alias("ff.CreatorTemplatesState")]
public sealed class CreatorTemplatesState
{
    /// <summary>Oldest first, at most <see cref="TemplateRules.MaxPerCreator"/>.</summary>
    [Id(0)] public List<TemplateEntry> Entries { get; set; } = [];
}

/// <summary>
/// Key: creator wallet. A template is created before its entry is written: a failure in between leaves an unlisted
/// template under an unused id (a gap, never a duplicate), and the client's retry creates it afresh.
/// </summary>
[GrainType("ff.creator-templates")]
public sealed class CreatorTemplatesGrain(
    [PersistentState("creator-templates", StorageNames.Default)] IPersistentState<CreatorTemplatesState> state,
    TimeProvider time) : Grain, ICreatorTemplates
{
    private string Creator => this.GetPrimaryKeyString();

    private IStickerTemplate Template(long id) => GrainFactory.GetGrain<IStickerTemplate>(id);

    public async Task<StickerTemplate?> AdmitAsync(TemplateDraft draft, string? idempotencyKey)
    {
        if (await AnsweredAsync(idempotencyKey) is { } first)
        {
            return first;
        }

        Admit(draft);
        return null;
    }

    public async Task<StickerTemplate> CreateAsync(TemplateDraft draft, PinnedArtwork artwork, string? idempotencyKey)
    {
        if (await AnsweredAsync(idempotencyKey) is { } first)
        {
            return first;
        }

        Admit(draft);
        var id = (await GrainFactory.GetGrain<IIdSequence>("template").ReserveAsync(1)).First;
        var template = await Template(id).CreateAsync(new StickerTemplate(
            id, Creator, draft.Name, draft.StickerType, draft.Category, draft.TipThresholdMicroAlgo, artwork, time.GetUtcNow(), MintCount: 0));
        state.State.Entries.Add(new TemplateEntry(id, draft, idempotencyKey));
        await WriteAsync();
        return template;
    }

    /// <summary>Only a template still listed answers a retry: a deleted one is gone, and its key with it.</summary>
    private async Task<StickerTemplate?> AnsweredAsync(string? idempotencyKey) =>
        idempotencyKey is not null && state.State.Entries.Find(e => e.IdempotencyKey == idempotencyKey) is { } seen
            ? await Template(seen.Id).GetAsync()
            : null;

    public async Task<IReadOnlyList<StickerTemplate>> ListAsync()
    {
        var entries = state.State.Entries.ToList();
        var templates = await Task.WhenAll(entries.Select(e => Template(e.Id).GetAsync()));
        return [.. templates.OfType<StickerTemplate>().Reverse()];
    }

    public async Task<StickerTemplate> DeleteAsync(long templateId)
    {
        var entry = state.State.Entries.Find(e => e.Id == templateId);
        // Not listed: deleted already (the template answers the same again, so a retried delete gets the first answer),
        // or not this creator's (the template answers 404).
        var deleted = await Template(templateId).DeleteAsync(Creator);
        if (entry is not null)
        {
            state.State.Entries.Remove(entry);
            await WriteAsync();
        }

        return deleted;
    }

    public Task<long?> FindForCategoryAsync(string category) =>
        Task.FromResult(state.State.Entries.FindLast(e => e.Draft.Category == category)?.Id);

    private void Admit(TemplateDraft draft)
    {
        if (state.State.Entries.Count >= TemplateRules.MaxPerCreator)
        {
            throw DomainException.Invalid(TemplateErrors.LimitReached,
                $"Maximum {TemplateRules.MaxPerCreator} sticker templates per creator. Delete an existing template first.");
        }

        if (state.State.Entries.Find(e => TemplateRules.SameSlot(draft, e.Draft)) is { } same)
        {
            throw DomainException.Conflict(TemplateErrors.Duplicate, TemplateRules.DuplicateMessage(same.Draft), new { template_id = same.Id });
        }
    }

    private Task WriteAsync() => state.WriteStateAsync();
}
