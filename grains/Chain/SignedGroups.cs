using FanForge.Grains.Algorand;

namespace FanForge.Grains.Chain;

/// <summary>
/// Reading a submitted group of signed transactions (pure): what algod would refuse for its form, before anything
/// leaves. The API parses (to key the submission and refuse malformed bytes at once); the submission grain, which
/// sends the group, also checks the signatures, once.
/// </summary>
public static class SignedGroups
{
    /// <summary>The members of a well-formed group (encoding and group rules), signatures not checked.</summary>
    public static IReadOnlyList<SignedTransaction> Parse(ReadOnlySpan<byte> signedTransactions)
    {
        try
        {
            var members = SignedTransaction.DecodeConcatenated(signedTransactions);
            TransactionGroup.Validate(members);
            return members;
        }
        catch (AlgorandEncodingException e)
        {
            throw ChainRejections.Malformed(e);
        }
    }

    /// <summary>As <see cref="Parse"/>, and every member signed by its sender.</summary>
    public static IReadOnlyList<SignedTransaction> ParseVerified(ReadOnlySpan<byte> signedTransactions)
    {
        var members = Parse(signedTransactions);
        for (var i = 0; i < members.Count; i++)
        {
            if (!members[i].VerifySignature())
            {
                throw ChainRejections.BadSignature($"Transaction {i} ({members[i].TxId}) is not signed by its sender.");
            }
        }

        return members;
    }
}
