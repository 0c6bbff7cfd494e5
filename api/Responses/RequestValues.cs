using System.Security.Claims;
using FanForge.Api.Auth;
using FanForge.Grains.Algorand;
using FanForge.GrainInterfaces.Errors;

namespace FanForge.Api.Responses;

/// <summary>The checks every route makes on its inputs, in one place so their errors read the same everywhere.</summary>
internal static class RequestValues
{
    /// <summary>A canonical Algorand address, or a 400 (<see cref="AlgorandAddress.Parse"/>).</summary>
    public static string Wallet(string? text) => AlgorandAddress.Parse(text).ToString();

    /// <summary>403 unless <paramref name="wallet"/> (a body or query field) is the caller's own wallet.</summary>
    public static void RequireCallerWallet(this ClaimsPrincipal caller, string wallet, string field)
    {
        if (!string.Equals(wallet, caller.WalletOf(), StringComparison.Ordinal))
        {
            throw DomainException.Forbidden(ErrorCodes.Forbidden, $"Authenticated wallet does not match {field}.");
        }
    }

    /// <summary>A positive id (asset, app, order), or a 400 naming <paramref name="field"/>.</summary>
    public static long PositiveId(long? value, string field) =>
        value is long id and > 0 ? id : throw DomainException.Invalid(ErrorCodes.Validation, $"{field} must be a positive integer.");

    public const string IdempotencyHeader = "X-Idempotency-Key";
    public const int MaxIdempotencyKeyLength = 200;

    /// <summary>The optional <c>X-Idempotency-Key</c>: absent, or 1 to 200 characters that are not all blank; a 400 otherwise.</summary>
    public static string? IdempotencyKey(string? header) =>
        header is null || (header.Length <= MaxIdempotencyKeyLength && !string.IsNullOrWhiteSpace(header))
            ? header
            : throw DomainException.Invalid(ErrorCodes.Validation, $"{IdempotencyHeader} must be 1 to {MaxIdempotencyKeyLength} characters.");

    /// <summary>A limit of 1..<paramref name="max"/> (default <paramref name="fallback"/>), or a 400.</summary>
    public static int Limit(int? requested, int fallback, int max)
    {
        var limit = requested ?? fallback;
        return limit is >= 1 && limit <= max
            ? limit
            : throw DomainException.Invalid(ErrorCodes.Validation, $"limit must be between 1 and {max}.");
    }

    /// <summary>A page: <see cref="Limit"/> and an offset of 0..<paramref name="maxOffset"/>, or a 400.</summary>
    public static (int Limit, int Offset) Page(int? limit, int? offset, int fallback, int maxLimit, int maxOffset = 10_000)
    {
        var take = Limit(limit, fallback, maxLimit);
        var skip = offset ?? 0;
        return skip >= 0 && skip <= maxOffset
            ? (take, skip)
            : throw DomainException.Invalid(ErrorCodes.Validation, $"offset must be between 0 and {maxOffset}.");
    }
}
