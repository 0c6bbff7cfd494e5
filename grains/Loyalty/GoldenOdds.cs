using System.Globalization;

namespace FanForge.Grains.Loyalty;

/// <summary>The golden-sticker odds the tip page displays (display only, as in the prototype).</summary>
public sealed record GoldenOddsQuote(decimal BaseProbability, decimal Bonus, decimal TotalProbability, int TriggerInterval, string Description);

public static class GoldenOdds
{
    public const decimal BaseProbability = 0.10m;
    public const decimal MaxProbability = 0.80m;
    public const int TriggerInterval = 10;

    /// <summary>Base 10 %, a whale bonus by tip size (≥ 50 → +20 %, ≥ 10 → +10 %, ≥ 5 → +5 %), capped at 80 %.</summary>
    public static GoldenOddsQuote For(decimal tipAlgo)
    {
        var bonus = tipAlgo >= 50m ? 0.20m : tipAlgo >= 10m ? 0.10m : tipAlgo >= 5m ? 0.05m : 0m;
        var total = Math.Min(BaseProbability + bonus, MaxProbability);
        var description = $"{Percent(total)} chance of golden sticker"
            + (bonus > 0 ? $" (+{Percent(bonus)} whale bonus)" : "")
            + $". Guaranteed every {TriggerInterval} tips.";
        return new GoldenOddsQuote(BaseProbability, bonus, total, TriggerInterval, description);
    }

    private static string Percent(decimal fraction) => (fraction * 100m).ToString("0", CultureInfo.InvariantCulture) + "%";
}
