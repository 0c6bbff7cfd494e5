using System.Net;
using System.Text.Json;
using FanForge.GrainInterfaces.Errors;
using FanForge.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace FanForge.Tests.Errors;

/// <summary>Path parameters become grain keys: a blank or control-character one is a 400 envelope on every route.</summary>
public sealed class RouteValueTests(FanForgeApiFactory factory) : IClassFixture<FanForgeApiFactory>
{
    [Fact]
    public async Task A_blank_on_ramp_order_id_with_a_valid_token_is_400_not_500()
    {
        var http = await factory.CreateClientAsync(new TestWallet(231));

        var response = await http.GetAsync("/onramp/order/%20");

        var error = await HttpAssert.ErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.InvalidRequest);
        Assert.Equal("Path parameter 'partnerOrderId' must not be blank.", error.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("%20")]
    [InlineData("%09")]
    [InlineData("%01x")]
    public async Task Every_route_parameter_refuses_a_blank_or_control_character_value_with_the_envelope(string value)
    {
        var http = await factory.CreateClientAsync(new TestWallet(232));
        var routes = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.Parameters.Count > 0)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(method => (method, e.RoutePattern)))
            .ToList();
        Assert.True(routes.Count >= 25, $"only {routes.Count} routes with parameters found");

        foreach (var (method, pattern) in routes)
        {
            var path = "/" + string.Join("/", pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
            {
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart => value,
                _ => "",
            }))));
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = method is "GET" or "DELETE" ? null : new StringContent("{}", System.Text.Encoding.UTF8, "application/json") };

            var response = await http.SendAsync(request);

            var text = await response.Content.ReadAsStringAsync();
            // A parameter with a type constraint ({id:long}) does not match at all: 404 (or 405 for the method).
            Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed,
                $"{method} {path}: {(int)response.StatusCode} {text}");
            var body = JsonDocument.Parse(text).RootElement;
            Assert.False(body.GetProperty("success").GetBoolean(), $"{method} {path}: {text}");
            if (response.StatusCode == HttpStatusCode.BadRequest)
            {
                Assert.Equal(ErrorCodes.InvalidRequest, body.GetProperty("error").GetProperty("code").GetString());
            }
        }
    }
}
