using FanForge.Grains.Nfts;

namespace FanForge.Tests.Nfts;

public sealed class MintRetryPolicyTests
{
    private static readonly MintRetryOptions Defaults = new();

    [Fact]
    public void DelayAfter_doubles_from_30_seconds_and_stops_at_one_hour()
    {
        var schedule = Enumerable.Range(1, 10).Select(failures => MintRetryPolicy.DelayAfter(failures, Defaults)).ToArray();

        Assert.Equal(
            [
                TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(8),
                TimeSpan.FromMinutes(16), TimeSpan.FromMinutes(32), TimeSpan.FromHours(1), TimeSpan.FromHours(1), TimeSpan.FromHours(1),
            ],
            schedule);
    }

    [Fact]
    public void DelayAfter_follows_the_configured_first_delay_and_cap()
    {
        var options = new MintRetryOptions { FirstDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(5) };

        Assert.Equal(
            [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5)],
            Enumerable.Range(1, 5).Select(failures => MintRetryPolicy.DelayAfter(failures, options)));
    }

    [Fact]
    public void DelayAfter_never_overflows_for_a_mint_failing_for_ever()
    {
        Assert.Equal(TimeSpan.FromHours(1), MintRetryPolicy.DelayAfter(int.MaxValue, Defaults));
    }

    [Theory]
    [InlineData(1, 0.0, 30_000)]
    [InlineData(1, 0.5, 27_000)]
    [InlineData(1, 1.0, 24_000)]
    [InlineData(20, 1.0, 2_880_000)] // the cap is spread too, so mints that failed together never line up again
    public void DelayAfter_takes_at_most_a_fifth_off_as_the_spread_says(int failures, double spread, int expectedMilliseconds)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), MintRetryPolicy.DelayAfter(failures, Defaults, spread));
    }

    [Theory]
    [InlineData(0, 0.0)]
    [InlineData(-1, 0.0)]
    [InlineData(1, -0.1)]
    [InlineData(1, 1.1)]
    public void DelayAfter_refuses_no_failure_or_a_spread_outside_0_to_1(int failures, double spread)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MintRetryPolicy.DelayAfter(failures, Defaults, spread));
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(3, false)] // the first attempt and two retries
    [InlineData(4, true)] // the first attempt and all three retries
    [InlineData(50, true)]
    public void IsStillFailing_once_every_allowed_retry_failed_too(int failures, bool stillFailing)
    {
        Assert.Equal(stillFailing, MintRetryPolicy.IsStillFailing(failures, Defaults));
    }
}
