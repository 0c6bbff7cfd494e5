using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Serialization;
using FanForge.Api.Audit;
using FanForge.Api.Auth;
using FanForge.Api.Ipfs;
using FanForge.Api.Responses;
using FanForge.Grains.Algorand;
using FanForge.GrainInterfaces.Audit;
using FanForge.Grains.Templates;
using FanForge.GrainInterfaces.Errors;
using FanForge.GrainInterfaces.Templates;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FanForge.Api.Creators;

/// <summary>
/// Sticker templates (<c>POST …/sticker-template</c>, <c>GET …/templates</c>, <c>DELETE …/template/{id}</c>): the
/// creator uploads an image, we pin it and its ARC-3 metadata to IPFS, and the platform's mints for that creator use it (reward categories <c>butki_badge</c>, <c>bauni_membership</c>,
/// <c>shawty_collectible</c>; stickers by id). Shapes are the prototype's camelCase plus the snake_case fields the
/// unchanged CreatorHub reads.
/// </summary>
internal static class TemplatesApi
{
    /// <summary>The image plus the form's few small fields; anything larger is refused before it is read.</summary>
    private const long MaxRequestBytes = TemplateRules.MaxImageBytes + 64 * 1024;

    public static IEndpointRouteBuilder MapTemplates(this IEndpointRouteBuilder routes)
    {
        var creator = routes.MapGroup("/creator/{wallet}").WithTags("Creator").RequireAuthorization(Policies.Creator);
        creator.MapPost("/sticker-template", CreateAsync).DisableAntiforgery().Audited(AuditKinds.TemplateCreated)
            .WithSummary("Upload a sticker template (multipart: name, sticker_type, category, tip_threshold, image ≤ 5 MB PNG/JPEG/GIF/WebP); a retry with the same X-Idempotency-Key returns the first template");
        creator.MapGet("/templates", ListAsync).WithSummary("The creator's sticker templates, newest first, with mint counts");
        creator.MapDelete("/template/{templateId:long}", DeleteAsync).Audited(AuditKinds.TemplateDeleted)
            .WithSummary("Delete a template nothing was minted from (409 otherwise); deleting it again answers the same");
        return routes;
    }

    private static async Task<Ok<TemplateResponse>> CreateAsync(
        string wallet, HttpRequest request, [FromHeader(Name = RequestValues.IdempotencyHeader)] string? idempotencyHeader,
        IGrainFactory grains, IIpfsPinning ipfs, IpfsGateway gateway, AuditRecorder audit, CancellationToken cancellationToken)
    {
        var creator = RequestValues.Wallet(wallet);
        var idempotencyKey = RequestValues.IdempotencyKey(idempotencyHeader);
        var form = await ReadFormAsync(request, cancellationToken);
        var draft = TemplateRules.Validate(form["name"], form["sticker_type"], form["category"], Threshold(form["tip_threshold"]));
        var templates = grains.GetGrain<ICreatorTemplates>(creator);
        if (await templates.AdmitAsync(draft, idempotencyKey) is { } first)
        {
            await audit.RecordAsync(request.HttpContext, TemplateAudit(AuditKinds.TemplateCreated, first, created: true));
            return TypedResults.Ok(TemplateResponse.From(first, gateway));
        }

        var image = form.Files.GetFile("image") ?? throw Invalid("image is required (a PNG, JPEG, GIF or WebP file).");
        if (image.Length == 0)
        {
            throw Invalid("Image file is empty");
        }

        if (image.Length > TemplateRules.MaxImageBytes)
        {
            throw TooLarge();
        }

        var bytes = new byte[image.Length];
        await using (var stream = image.OpenReadStream())
        {
            await stream.ReadExactlyAsync(bytes, cancellationToken);
        }

        var mimeType = TemplateRules.SniffImage(bytes)
            ?? throw DomainException.Invalid(TemplateErrors.UnsupportedImage, "image must be a PNG, JPEG, GIF or WebP file.");
        var imageCid = await ipfs.PinFileAsync($"{creator[..8]}-{draft.Name}{Extension(mimeType)}", bytes, mimeType, cancellationToken);
        var metadata = TemplateRules.Arc3Metadata(creator, draft, imageCid, mimeType, SHA256.HashData(bytes));
        var metadataCid = await ipfs.PinFileAsync($"metadata_{draft.Name}.json", metadata, "application/json", cancellationToken);
        var template = await templates.CreateAsync(
            draft, new PinnedArtwork(imageCid, mimeType, bytes.Length, metadataCid, SHA256.HashData(metadata)), idempotencyKey);
        await audit.RecordAsync(request.HttpContext, TemplateAudit(AuditKinds.TemplateCreated, template, created: true));
        return TypedResults.Ok(TemplateResponse.From(template, gateway));
    }

    private static async Task<Ok<TemplateList>> ListAsync(string wallet, IGrainFactory grains, IpfsGateway gateway)
    {
        var creator = RequestValues.Wallet(wallet);
        var templates = await grains.GetGrain<ICreatorTemplates>(creator).ListAsync();
        return TypedResults.Ok(new TemplateList(creator, [.. templates.Select(t => TemplateResponse.From(t, gateway))], templates.Count));
    }

    private static async Task<Ok<TemplateDeleted>> DeleteAsync(string wallet, long templateId, HttpContext context, IGrainFactory grains, AuditRecorder audit)
    {
        // The pins stay: content addressing makes one pin serve every template (of any creator) with the same bytes.
        var deleted = await grains.GetGrain<ICreatorTemplates>(RequestValues.Wallet(wallet)).DeleteAsync(templateId);
        await audit.RecordAsync(context, TemplateAudit(AuditKinds.TemplateDeleted, deleted, created: false));
        return TypedResults.Ok(new TemplateDeleted($"Template '{deleted.Name}' deleted", deleted.Id));
    }

    /// <summary>A template is created once (a retry under the same key returns it) and deleted once (a repeat answers the same).</summary>
    private static AuditChange TemplateAudit(string kind, StickerTemplate template, bool created)
    {
        var fields = new
        {
            name = template.Name, sticker_type = template.StickerType, category = template.Category,
            tip_threshold_micro = template.TipThresholdMicroAlgo, metadata_cid = template.Artwork.MetadataCid,
        };
        return new(kind, $"template:{template.Id}:{(created ? "created" : "deleted")}", $"template:{template.Id}", template.CreatorWallet,
            created ? AuditChanges.Diff(null, fields) : AuditChanges.Diff(fields, null));
    }

    private static async Task<IFormCollection> ReadFormAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType)
        {
            throw DomainException.Invalid(ErrorCodes.UnsupportedMediaType, "Send the template as multipart/form-data (name, sticker_type, category, tip_threshold, image).");
        }

        if (request.ContentLength > MaxRequestBytes)
        {
            throw TooLarge();
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxRequestBytes;
        }

        try
        {
            return await request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = MaxRequestBytes, ValueCountLimit = 16 }, cancellationToken);
        }
        catch (InvalidDataException e) when (e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase))
        {
            throw TooLarge();
        }
        catch (Exception e) when (e is InvalidDataException or IOException && !cancellationToken.IsCancellationRequested)
        {
            throw Invalid("The multipart form could not be read.");
        }
    }

    private static decimal? Threshold(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null
        : decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) ? value
        : throw Invalid("tip_threshold must be a number of ALGO.");

    private static string Extension(string mimeType) => mimeType switch
    {
        "image/png" => ".png",
        "image/jpeg" => ".jpg",
        "image/gif" => ".gif",
        _ => ".webp",
    };

    private static DomainException Invalid(string message) => DomainException.Invalid(ErrorCodes.Validation, message);

    private static DomainException TooLarge() => new(DomainErrorKind.PayloadTooLarge, ErrorCodes.PayloadTooLarge, "Image must be under 5 MB");
}

/// <summary>The prototype's template (camelCase) plus the snake_case fields the unchanged CreatorHub reads.</summary>
internal sealed record TemplateResponse(
    long Id, string CreatorWallet, string Name, string IpfsHash, string ImageUrl, string MetadataUrl, string StickerType, string Category,
    decimal TipThreshold, DateTimeOffset CreatedAt, long MintCount,
    [property: JsonPropertyName("image_url")] string ImageUrlSnake,
    [property: JsonPropertyName("sticker_type")] string StickerTypeSnake,
    [property: JsonPropertyName("mint_count")] long MintCountSnake,
    [property: JsonPropertyName("tip_threshold")] decimal TipThresholdSnake,
    string MetadataCid)
{
    public static TemplateResponse From(StickerTemplate t, IpfsGateway gateway)
    {
        var threshold = MicroAlgo.ToAlgo(t.TipThresholdMicroAlgo);
        var imageUrl = gateway.Url(t.Artwork.ImageCid);
        return new(t.Id, t.CreatorWallet, t.Name, t.Artwork.ImageCid, imageUrl, gateway.Url(t.Artwork.MetadataCid), t.StickerType, t.Category,
            threshold, t.CreatedAt, t.MintCount, imageUrl, t.StickerType, t.MintCount, threshold, t.Artwork.MetadataCid);
    }
}

internal sealed record TemplateList(string CreatorWallet, IReadOnlyList<TemplateResponse> Templates, int Total);

internal sealed record TemplateDeleted(string Message, long TemplateId);
