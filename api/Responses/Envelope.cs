namespace FanForge.Api.Responses;

/// <summary>The prototype's <c>{success:true, data, meta}</c> success envelope, used by the routes that had it.</summary>
internal sealed record Envelope<TData, TMeta>(bool Success, TData Data, TMeta Meta);

internal static class Envelope
{
    public static Envelope<TData, TMeta> Of<TData, TMeta>(TData data, TMeta meta) => new(true, data, meta);
}
