using FanForge.Grains.Algorand;

namespace FanForge.Tests.Algorand;

public sealed class MicroAlgoTests
{
    [Theory]
    [InlineData("1", true)]
    [InlineData("0.000001", true)]
    [InlineData("2.5000000", true)]
    [InlineData("0.0000001", false)]
    [InlineData("1.0000005", false)]
    [InlineData("79228162514264337593543950335", true)] // the largest decimal: no scaling, no overflow
    public void Whole_micro_algo_means_at_most_six_decimals(string algo, bool whole) =>
        Assert.Equal(whole, MicroAlgo.IsWholeMicroAlgo(decimal.Parse(algo, System.Globalization.CultureInfo.InvariantCulture)));
}
