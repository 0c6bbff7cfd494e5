using System.Diagnostics;
using System.Text.Json.Serialization;
using FanForge.Grains;
using FanForge.Grains.Algorand;
using FanForge.Grains.Chain;
using FanForge.GrainInterfaces.Chain;
using FanForge.GrainInterfaces.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FanForge.Api.Chain;

/// <summary>
/// Relays wallet-signed transactions to the chain. Anonymous like the prototype: the signatures are the
/// authorization. Idempotent by <c>X-Idempotency-Key</c> and, without one, by the first transaction id.
/// </summary>
internal static class SubmitApi
{
    public const string IdempotencyHeader = "X-Idempotency-Key";
    private const int MaxEncodedTransactionLength = 32 * 1024;

    public static IEndpointRouteBuilder MapSubmit(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("").WithTags("Transactions").AllowAnonymous();
        group.MapPost("/submit", SubmitOneAsync).WithSummary("Submit one signed transaction (base64 msgpack)");
        group.MapPost("/submit-group", SubmitGroupAsync).WithSummary("Submit a signed atomic group (base64 msgpack per member, in group order)");
        return routes;
    }

    private static Task<Ok<SubmitResponse>> SubmitOneAsync(
        SubmitRequest request, [FromHeader(Name = IdempotencyHeader)] string? idempotencyKey, IGrainFactory grains) =>
        SubmitAsync([request.SignedTxn ?? request.SignedTxnCamel], idempotencyKey, grains);

    private static Task<Ok<SubmitResponse>> SubmitGroupAsync(
        SubmitGroupRequest request, [FromHeader(Name = IdempotencyHeader)] string? idempotencyKey, IGrainFactory grains) =>
        SubmitAsync(request.SignedTxns ?? request.SignedTxnsCamel ?? [], idempotencyKey, grains);

    private static async Task<Ok<SubmitResponse>> SubmitAsync(IReadOnlyList<string?> encoded, string? idempotencyKey, IGrainFactory grains)
    {
        if (encoded.Count is 0 or > TransactionGroup.MaxSize)
        {
            throw DomainException.Invalid(ErrorCodes.Validation, $"Send 1 to {TransactionGroup.MaxSize} signed transactions.");
        }

        var body = encoded.SelectMany((text, i) => DecodeBase64(text, i)).ToArray();
        // Parsed here only to key the submission and refuse malformed bytes at once; the grain checks the signatures.
        var members = SignedGroups.Parse(body);
        if (Activity.Current is { IsAllDataRequested: true } traced)
        {
            // The request's own span says which transaction it submitted, so a search by txid finds this request.
            traced.SetTag(PaymentTracing.TxId, members[0].TxId);
            if (members[0].Transaction.HasGroup)
            {
                traced.SetTag(PaymentTracing.Group, Convert.ToBase64String(members[0].Transaction.Group.Span));
            }
        }

        var key = idempotencyKey is null ? "tx:" + members[0].TxId : "key:" + ValidKey(idempotencyKey);
        var result = await grains.GetGrain<ISubmission>(key).SubmitAsync(body);
        return TypedResults.Ok(new SubmitResponse(result.TxId, result.TxId, result.TxIds, result.GroupId));
    }

    private static byte[] DecodeBase64(string? text, int index)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > MaxEncodedTransactionLength)
        {
            throw DomainException.Invalid(ChainRejections.InvalidTransaction, $"Transaction {index} must be base64 of a signed transaction.");
        }

        return LenientBase64.TryDecode(text, out var bytes)
            ? bytes
            : throw DomainException.Invalid(ChainRejections.InvalidTransaction, $"Transaction {index} is not valid base64.");
    }

    private static string ValidKey(string key) =>
        key.Length is >= 1 and <= 128 && key.All(c => c is > ' ' and <= '~')
            ? key
            : throw DomainException.Invalid(ErrorCodes.Validation, $"{IdempotencyHeader} must be 1 to 128 printable ASCII characters.");
}

internal sealed record SubmitRequest(
    [property: JsonPropertyName("signed_txn")] string? SignedTxn,
    [property: JsonPropertyName("signedTxn")] string? SignedTxnCamel);

internal sealed record SubmitGroupRequest(
    [property: JsonPropertyName("signed_txns")] IReadOnlyList<string?>? SignedTxns,
    [property: JsonPropertyName("signedTxns")] IReadOnlyList<string?>? SignedTxnsCamel);

/// <summary><c>txId</c> is algod's answer (the first member); the page also reads <c>tx_id</c>.</summary>
internal sealed record SubmitResponse(
    string TxId,
    [property: JsonPropertyName("tx_id")] string TxIdSnake,
    IReadOnlyList<string> TxIds,
    string? GroupId);
