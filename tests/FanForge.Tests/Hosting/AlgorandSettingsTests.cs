using FanForge.Silo;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;

namespace FanForge.Tests.Hosting;

public sealed class AlgorandSettingsTests
{
    private static readonly string RealSeed = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    private static AlgorandSettings Load(string environment, params (string Key, string Value)[] values) =>
        AlgorandSettings.Load(
            new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build(),
            new HostingEnvironment { EnvironmentName = environment });

    [Fact]
    public void Development_defaults_to_the_simulated_ledger_and_the_published_development_key()
    {
        var settings = Load(Environments.Development);

        Assert.Equal(AlgorandMode.Simulated, settings.Mode);
        Assert.Equal(Convert.FromBase64String(AlgorandSettings.DevelopmentPlatformSeed), settings.PlatformSeedBytes);
    }

    [Theory]
    [InlineData("Simulated", true, "refuses the simulated ledger")]
    [InlineData("Node", false, "refuses a missing or development Algorand:PlatformSeed")]
    public void Production_refuses_development_defaults(string mode, bool withSeed, string reason)
    {
        var values = new List<(string, string)> { ("Algorand:Mode", mode), ("Algorand:AlgodUrl", "https://node.example"), ("Algorand:IndexerUrl", "https://idx.example") };
        if (withSeed)
        {
            values.Add(("Algorand:PlatformSeed", RealSeed));
        }

        var error = Assert.Throws<OptionsValidationException>(() => Load(Environments.Production, [.. values]));

        Assert.Contains(reason, error.Message);
        Assert.DoesNotContain(RealSeed, error.Message);
    }

    [Fact]
    public void Production_refuses_the_published_development_key()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Load(Environments.Production,
            ("Algorand:Mode", "Node"), ("Algorand:AlgodUrl", "https://node.example"), ("Algorand:IndexerUrl", "https://idx.example"),
            ("Algorand:PlatformSeed", AlgorandSettings.DevelopmentPlatformSeed)));

        Assert.Contains("development Algorand:PlatformSeed", error.Message);
    }

    [Fact]
    public void A_node_needs_both_urls_and_a_seed_must_be_32_bytes()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Load(Environments.Development, ("Algorand:Mode", "Node"), ("Algorand:PlatformSeed", "c2hvcnQ=")));

        Assert.Contains("needs Algorand:AlgodUrl and Algorand:IndexerUrl", error.Message);
        Assert.Contains("base64 of 32 bytes", error.Message);
    }

    [Fact]
    public void Production_accepts_a_real_node_and_key()
    {
        var settings = Load(Environments.Production,
            ("Algorand:Mode", "Node"), ("Algorand:AlgodUrl", "https://node.example"), ("Algorand:IndexerUrl", "https://idx.example"), ("Algorand:PlatformSeed", RealSeed));

        Assert.Equal(AlgorandMode.Node, settings.Mode);
    }
}
