namespace FanForge.GrainInterfaces.Chain;

/// <summary>
/// One submission of signed transactions to the chain (key: <c>key:{X-Idempotency-Key}</c>, or <c>tx:{first txid}</c>
/// without a key). The first answer is kept: the same request again returns it without resubmitting; the same
/// key with different bytes is a 409.
/// </summary>
[Alias("ff.ISubmission")]
public interface ISubmission : IGrainWithStringKey
{
    /// <summary>Submits <paramref name="signedTransactions"/> (one or a whole group, concatenated) once.</summary>
    [Alias("Submit")]
    Task<SubmissionResult> SubmitAsync(byte[] signedTransactions);
}

/// <summary>What the chain accepted: the first member's txid (algod's answer) and every member's.</summary>
[GenerateSerializer, Immutable, Alias("ff.SubmissionResult")]
public sealed record SubmissionResult(
    [property: Id(0)] string TxId,
    [property: Id(1)] IReadOnlyList<string> TxIds,
    [property: Id(2)] string? GroupId,
    [property: Id(3)] DateTimeOffset SubmittedAt);
