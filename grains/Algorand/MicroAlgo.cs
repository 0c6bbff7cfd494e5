namespace FanForge.Grains.Algorand;

/// <summary>
/// Amounts live as integer micro-ALGO everywhere (state, messages, the chain); ALGO decimals exist only at the edges,
/// for the prototype's <c>*_algo</c> fields. Decimal, never float, so 1.5 ALGO stays exactly 1.5.
/// </summary>
public static class MicroAlgo
{
    public const long PerAlgo = 1_000_000;

    public static decimal ToAlgo(long microAlgo) => microAlgo / (decimal)PerAlgo;

    /// <summary>Truncates below one micro-ALGO (callers validate ranges first).</summary>
    public static long FromAlgo(decimal algo) => decimal.ToInt64(algo * PerAlgo);
}
