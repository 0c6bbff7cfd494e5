using FanForge.Grains.Algorand;
using FanForge.Grains.Algorand.Clients;
using FanForge.GrainInterfaces.Errors;

namespace FanForge.Grains.Chain;

/// <summary>How refusals of signed transactions become domain errors (one table, used for every submission).</summary>
public static class ChainRejections
{
    public const string InvalidTransaction = "invalid_transaction";
    public const string InvalidSignature = "invalid_signature";
    public const string InsufficientFunds = "insufficient_funds";
    public const string RejectedByContract = "rejected_by_contract";
    public const string TransactionExpired = "transaction_expired";
    public const string Rejected = "transaction_rejected";
    public const string NodeUnavailable = "algorand_unavailable";
    public const string ChainReadFailed = "chain_read_failed";

    /// <summary>Bytes that are not canonical signed transactions, or an inconsistent group.</summary>
    public static DomainException Malformed(AlgorandEncodingException e) =>
        DomainException.Invalid(InvalidTransaction, "Invalid transaction format: " + e.Message);

    /// <summary>
    /// algod's refusal, classified by its text as the prototype did (substrings), with the node's message kept: it
    /// names the failing check, carries no secret, and the frontend shows it.
    /// </summary>
    public static DomainException FromNode(AlgorandNodeException e)
    {
        if (e.IsTransient)
        {
            return new DomainException(DomainErrorKind.Unavailable, NodeUnavailable, "The Algorand node is unavailable. Try again shortly.");
        }

        var text = e.NodeMessage ?? e.Message;
        var code = text switch
        {
            _ when Contains(text, "overspend") || Contains(text, "insufficient balance") || Contains(text, "below min") => InsufficientFunds,
            _ when Contains(text, "logic eval error") || Contains(text, "rejected by logic") => RejectedByContract,
            _ when Contains(text, "txn dead") || Contains(text, "round") && Contains(text, "outside of") => TransactionExpired,
            _ when Contains(text, "signature") => InvalidSignature,
            _ => Rejected,
        };
        return code == InvalidSignature ? BadSignature("Transaction rejected: " + text) : DomainException.Invalid(code, "Transaction rejected: " + text);
    }

    /// <summary>
    /// A signature that does not verify: 401 like every other <c>invalid_signature</c> (login, webhooks), so the code
    /// means one status wherever it comes from.
    /// </summary>
    public static DomainException BadSignature(string message) =>
        new(DomainErrorKind.Unauthenticated, InvalidSignature, message);

    /// <summary>
    /// A failed read (no transaction involved): transient as <see cref="FromNode"/>, otherwise the prototype's 502, not a
    /// 400 rejection, since a refused read says nothing about the caller's input (nor is the node's text theirs to see).
    /// </summary>
    public static DomainException FromNodeRead(AlgorandNodeException e) => e.IsTransient
        ? FromNode(e)
        : new DomainException(DomainErrorKind.Upstream, ChainReadFailed, "Failed to read on-chain state. Check server logs.");

    private static bool Contains(string text, string part) => text.Contains(part, StringComparison.OrdinalIgnoreCase);
}
