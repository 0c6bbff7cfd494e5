using FanForge.GrainInterfaces.Errors;
using FanForge.Tests.Infrastructure;

namespace FanForge.Tests.Errors;

/// <summary>
/// What a client outside the silo (as the API in client mode) receives when a grain fails: a driver's or a network
/// failure arrives as our serializable <see cref="InfrastructureUnavailableException"/> without the original message;
/// domain errors and ordinary bugs arrive as they were thrown.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class GrainBoundaryTests(InProcessClusterFixture fixture)
{
    private IFaultProbe Probe() => fixture.Client.GetGrain<IFaultProbe>(Guid.NewGuid().ToString("N"));

    [Theory]
    [InlineData("driver", "FanForge.Tests.Errors.DriverLikeException")]
    [InlineData("wrapped-driver", "System.InvalidOperationException")]
    [InlineData("timeout", "System.TimeoutException")]
    public async Task An_infrastructure_or_unknown_failure_reaches_the_client_as_our_serializable_exception(string kind, string source)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => Probe().FailAsync(kind));

        var unavailable = Assert.IsType<InfrastructureUnavailableException>(error);
        Assert.Equal(InfrastructureUnavailableException.SafeMessage, unavailable.Message);
        Assert.Equal(source, unavailable.SourceType);
        Assert.DoesNotContain("hunter2", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_domain_error_and_a_bug_cross_unchanged()
    {
        var domain = await Assert.ThrowsAsync<DomainException>(() => Probe().FailAsync("domain"));
        Assert.Equal("probe_conflict", domain.Code);

        var bug = await Assert.ThrowsAnyAsync<Exception>(() => Probe().FailAsync("bug"));
        Assert.IsType<InvalidOperationException>(bug);
        Assert.Equal("a bug", bug.Message);
    }
}
