namespace FanForge.Grains.Algorand.Simulation;

/// <summary>
/// What the simulated POST /v2/transactions answered: the first member's txid, or the algod-style rejection (status
/// and message) that <see cref="SimulatedAlgodClient"/> turns into the exception a real node's answer would give.
/// </summary>
[GenerateSerializer, Immutable, Alias("ff.algod.SubmitResult")]
public sealed record SubmitResult([property: Id(0)] string? TxId, [property: Id(1)] int Status, [property: Id(2)] string? Message)
{
    public bool IsAccepted => TxId is not null;

    public static SubmitResult Accepted(string txId) => new(txId, 200, null);

    public static SubmitResult Rejected(string message, int status = 400) => new(null, status, message);
}
