using FanForge.Api.Errors;
using FanForge.GrainInterfaces.Errors;

namespace FanForge.Tests.Errors;

public sealed class ApiErrorsTests
{
    [Theory]
    [InlineData(DomainErrorKind.Validation, 400)]
    [InlineData(DomainErrorKind.Unauthenticated, 401)]
    [InlineData(DomainErrorKind.Forbidden, 403)]
    [InlineData(DomainErrorKind.NotFound, 404)]
    [InlineData(DomainErrorKind.Conflict, 409)]
    [InlineData(DomainErrorKind.PayloadTooLarge, 413)]
    [InlineData(DomainErrorKind.RateLimited, 429)]
    [InlineData(DomainErrorKind.Upstream, 502)]
    [InlineData(DomainErrorKind.Unavailable, 503)]
    public void Each_domain_error_kind_maps_to_one_status(DomainErrorKind kind, int status)
    {
        Assert.Equal(status, ApiErrors.StatusFor(kind));
    }

    [Fact]
    public void Every_domain_error_kind_has_a_mapping()
    {
        foreach (var kind in Enum.GetValues<DomainErrorKind>())
        {
            Assert.InRange(ApiErrors.StatusFor(kind), 400, 503);
        }
    }

    [Fact]
    public void Domain_exception_details_survive_as_json()
    {
        var error = DomainException.Conflict("double_spend", "Already spent.", new { assetId = 7 });

        Assert.Equal("{\"assetId\":7}", error.DetailsJson);
        Assert.Equal(DomainErrorKind.Conflict, error.Kind);
    }
}
