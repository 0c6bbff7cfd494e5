using System.Text;
using System.Text.Json;
using FanForge.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace FanForge.Tests.Errors;

/// <summary>
/// Every route, with path values and bodies a client can get wrong, as the caller itself: no answer is a 500 (or any
/// 5xx but a 503), and every refusal carries the envelope.
/// </summary>
public sealed class FuzzTests(FuzzTests.Factory factory) : IClassFixture<FuzzTests.Factory>
{
    /// <summary>The API host with request budgets out of the way: the fuzz sends thousands of requests from one address.</summary>
    public sealed class Factory : FanForgeApiFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("RateLimits:RequestsPerMinutePerIp", "1000000");
            builder.UseSetting("RateLimits:RequestsPerMinutePerWallet", "1000000");
        }
    }

    private static readonly string?[] Bodies =
    [
        null,
        "",
        "{}",
        "[]",
        "null",
        "{",
        "\"text\"",
        "{\"amount\":-1,\"quantity\":-5,\"limit\":-1,\"price_algo\":1e309,\"wallet_address\":\"not-a-wallet\",\"items\":[{}],\"ids\":[null]}",
        "{\"amount\":\"x\",\"wallet_address\":12,\"items\":\"x\",\"from_round\":-1,\"membership\":{\"creator_wallet\":\"\"}}",
    ];

    [Fact]
    public async Task No_route_answers_bad_input_with_a_5xx_or_without_the_envelope()
    {
        var caller = new TestWallet(242);
        var http = await factory.CreateClientAsync(caller);
        var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(method => (method, e.RoutePattern)))
            .Where(r => r.method is not ("OPTIONS" or "HEAD") && !r.RoutePattern.RawText!.StartsWith("/ws", StringComparison.Ordinal))
            .ToList();
        Assert.True(endpoints.Count >= 60, $"only {endpoints.Count} operations found");

        var failures = new List<string>();
        var sent = 0;
        foreach (var (method, pattern) in endpoints)
        {
            // The caller's own wallet (so wallet routes get past authorization into validation), a number, and junk.
            foreach (var value in new[] { caller.Address, "1", "99999999999999999999", "not-an-id" })
            {
                var path = Path(pattern, value);
                foreach (var body in method is "GET" or "DELETE" ? [null, "{}"] : Bodies)
                {
                    using var request = new HttpRequestMessage(new HttpMethod(method), path + (method == "GET" ? "?limit=-1&offset=x&cursor=%FF" : ""));
                    if (body is not null)
                    {
                        request.Content = new StringContent(body, Encoding.UTF8, "application/json");
                    }

                    var response = await http.SendAsync(request);
                    sent++;
                    var status = (int)response.StatusCode;
                    var text = await response.Content.ReadAsStringAsync();
                    if (status >= 500 && status != 503)
                    {
                        failures.Add($"{method} {path} body {body ?? "(none)"} → {status} {Truncate(text)}");
                    }
                    else if (status >= 400 && !IsEnvelope(text))
                    {
                        failures.Add($"{method} {path} body {body ?? "(none)"} → {status} without the envelope: {Truncate(text)}");
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {sent} requests:\n{string.Join("\n", failures.Take(40))}");
    }

    private static string Path(RoutePattern pattern, string value) =>
        "/" + string.Join("/", pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternParameterPart => Uri.EscapeDataString(value),
            _ => "",
        }))));

    private static bool IsEnvelope(string text)
    {
        try
        {
            var body = JsonDocument.Parse(text).RootElement;
            return body.ValueKind == JsonValueKind.Object
                && body.TryGetProperty("success", out var success) && success.ValueKind == JsonValueKind.False
                && body.TryGetProperty("error", out var error) && error.TryGetProperty("code", out var code) && code.GetString() is { Length: > 0 };
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Truncate(string text) => text.Length > 200 ? text[..200] + "…" : text;
}
