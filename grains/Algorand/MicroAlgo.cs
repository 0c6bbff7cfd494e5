namespace FanForge.Grains.Algorand;

/// <summary>
/// Amounts live as integer micro-ALGO everywhere (state, messages, the chain); ALGO decimals exist only at the edges,
/// for the prototype's <c>*_algo</c> fields. Decimal, never float, so 1.5 ALGO stays exactly 1.5.
/// </summary>
public static class MicroAlgo
{
    public const long PerAlgo = 1_000_000;

    public static decimal ToAlgo(long microAlgo) => microAlgo / (decimal)PerAlgo;

    /// <summary>
    /// Whether <paramref name="algo"/> is a whole number of micro-ALGO (at most 6 decimals): a finer amount could not be
    /// paid exactly. Compares without scaling, so no input can overflow here.
    /// </summary>
    public static bool IsWholeMicroAlgo(decimal algo) => decimal.Round(algo, 6) == algo;

    /// <summary>Truncates below one micro-ALGO (callers validate ranges first).</summary>
    public static long FromAlgo(decimal algo) => decimal.ToInt64(algo * PerAlgo);
}
