namespace FanForge.Grains.Algorand;

/// <summary>Transaction fees as algosdk computes them.</summary>
public static class Fees
{
    /// <summary>The protocol's minimum fee per transaction (µAlgo); read <c>min-fee</c> from the params when you can.</summary>
    public const ulong MinimumFee = 1000;

    /// <summary>Bytes a single signature adds to the encoded transaction (the <c>sig</c> key, its bin64 and the wrapper), as algosdk estimates.</summary>
    public const int SignatureOverhead = 75;

    /// <summary>
    /// algosdk's suggested-fee rule, fixed as a flat fee: <c>max(minFee, feePerByte × (encodedLength + 75))</c>.
    /// <paramref name="feePerByte"/> is the <c>fee</c> of /v2/transactions/params (0 unless the network is congested),
    /// <paramref name="minFee"/> its <c>min-fee</c>; <paramref name="encodedLength"/> is the unsigned encoding's length.
    /// Set the result as <see cref="Transaction.Fee"/> (which changes the length by at most a few bytes; algosdk ignores that too).
    /// </summary>
    public static ulong FlatFee(int encodedLength, ulong feePerByte, ulong minFee)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(encodedLength);
        return Math.Max(minFee, checked(feePerByte * (ulong)(encodedLength + SignatureOverhead)));
    }
}
