using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FanForge.GrainInterfaces.Errors;

namespace FanForge.Tests.Errors;

public sealed class ErrorEnvelopeTests(ProbeApiFactory factory) : IClassFixture<ProbeApiFactory>
{
    private const string FrontendOrigin = "http://localhost:5173";

    private static async Task<JsonElement> ReadErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(body.GetProperty("success").GetBoolean());
        var error = body.GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        return error;
    }

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Unknown_route_returns_404_envelope()
    {
        var response = await factory.CreateClient().GetAsync("/no/such/route");

        await ReadErrorAsync(response, HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Wrong_method_returns_405_envelope()
    {
        var response = await factory.CreateClient().DeleteAsync("/health");

        await ReadErrorAsync(response, HttpStatusCode.MethodNotAllowed, "method_not_allowed");
    }

    [Theory]
    [InlineData("{\"name\": \"a\", ")]
    [InlineData("not json at all")]
    [InlineData("{\"name\": \"a\", \"count\": \"seven\"}")]
    [InlineData("{\"name\": 5, \"count\": 1}")]
    public async Task Malformed_or_mistyped_json_returns_400_malformed_json(string body)
    {
        var response = await factory.CreateClient().PostAsync("/probe/echo", Json(body));

        await ReadErrorAsync(response, HttpStatusCode.BadRequest, "malformed_json");
    }

    [Fact]
    public async Task Well_formed_json_reaches_the_handler()
    {
        var response = await factory.CreateClient().PostAsync("/probe/echo", Json("{\"name\":\"a\",\"count\":3}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Mistyped_query_parameter_returns_400_invalid_request_naming_it()
    {
        var response = await factory.CreateClient().GetAsync("/probe/page?limit=ten");

        var error = await ReadErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        Assert.Contains("limit", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Wrong_content_type_returns_415_envelope()
    {
        var response = await factory.CreateClient().PostAsync("/probe/echo", new StringContent("{}", Encoding.UTF8, "text/plain"));

        await ReadErrorAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    [Fact]
    public async Task Domain_conflict_maps_to_409_with_code_and_details()
    {
        var response = await factory.CreateClient().GetAsync("/probe/conflict");

        var error = await ReadErrorAsync(response, HttpStatusCode.Conflict, "token_locked");
        Assert.Equal("Token 42 is locked by order 7.", error.GetProperty("message").GetString());
        Assert.Equal(42, error.GetProperty("details").GetProperty("assetId").GetInt32());
    }

    [Fact]
    public async Task Domain_not_found_maps_to_404()
    {
        var response = await factory.CreateClient().GetAsync("/probe/missing");

        var error = await ReadErrorAsync(response, HttpStatusCode.NotFound, "not_found");
        Assert.Equal("Product not found: 99", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Unexpected_exception_returns_500_without_internals_and_with_cors()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/probe/crash");
        request.Headers.Add("Origin", FrontendOrigin);

        var response = await factory.CreateClient().SendAsync(request);

        var error = await ReadErrorAsync(response, HttpStatusCode.InternalServerError, "internal_server_error");
        var raw = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("hunter2", raw);
        Assert.DoesNotContain("InvalidOperationException", raw);
        Assert.Equal("Internal server error", error.GetProperty("message").GetString());
        // The browser can only show the message if the error response carries CORS headers.
        Assert.Equal(FrontendOrigin, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Theory]
    [InlineData("/probe/grain-fault/driver")]
    [InlineData("/probe/grain-fault/timeout")]
    [InlineData("/probe/silo-lost")]
    public async Task A_storage_failure_or_a_lost_silo_is_503_unavailable_with_retry_after(string path)
    {
        var response = await factory.CreateClient().GetAsync(path);

        var error = await ReadErrorAsync(response, HttpStatusCode.ServiceUnavailable, ErrorCodes.Unavailable);
        Assert.Equal("5", response.Headers.GetValues("Retry-After").Single());
        Assert.DoesNotContain("hunter2", await response.Content.ReadAsStringAsync());
        Assert.Equal("The service is temporarily unavailable. Try again shortly.", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_bug_in_a_grain_stays_a_500()
    {
        var response = await factory.CreateClient().GetAsync("/probe/grain-fault/bug");

        await ReadErrorAsync(response, HttpStatusCode.InternalServerError, ErrorCodes.Internal);
        Assert.False(response.Headers.Contains("Retry-After"));
    }

    [Fact]
    public async Task Cors_preflight_allows_the_frontend_origin_and_its_headers()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/health");
        request.Headers.Add("Origin", FrontendOrigin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type,x-idempotency-key");

        var response = await factory.CreateClient().SendAsync(request);

        Assert.True(response.IsSuccessStatusCode, $"preflight answered {(int)response.StatusCode}");
        Assert.Equal(FrontendOrigin, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        var allowed = string.Join(",", response.Headers.GetValues("Access-Control-Allow-Headers")).ToLowerInvariant();
        Assert.Contains("authorization", allowed);
        Assert.Contains("x-idempotency-key", allowed);
    }

    [Fact]
    public async Task Cors_ignores_an_origin_that_is_not_configured()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        request.Headers.Add("Origin", "https://evil.example");

        var response = await factory.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }
}
