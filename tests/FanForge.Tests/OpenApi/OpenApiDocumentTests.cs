using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using FanForge.Tests.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace FanForge.Tests.OpenApi;

/// <summary>
/// The published document against the real route table: what a generated client believes about tokens, errors and
/// method names must be what the routes do.
/// </summary>
public sealed partial class OpenApiDocumentTests(AdminApiFactory factory) : IClassFixture<AdminApiFactory>
{
    private const string EnvelopeRef = "#/components/schemas/ErrorEnvelope";
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

    private sealed record Operation(string Method, string Path, JsonElement Json)
    {
        public override string ToString() => $"{Method.ToUpperInvariant()} {Path}";
    }

    private async Task<JsonElement> DocumentAsync() =>
        await (await factory.CreateClient().GetAsync("/openapi/v1.json")).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();

    private static List<Operation> Operations(JsonElement document) =>
    [
        .. document.GetProperty("paths").EnumerateObject().SelectMany(path => path.Value.EnumerateObject()
            .Where(p => Methods.Contains(p.Name))
            .Select(p => new Operation(p.Name, path.Name, p.Value))),
    ];

    /// <summary>"METHOD /path" as the document writes it (constraints and optional marks dropped) → the route's policies.</summary>
    private Dictionary<string, List<string>> RoutePolicies() => factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
        .OfType<RouteEndpoint>()
        .SelectMany(endpoint => (endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [])
            .Select(method => (Key: method + " " + DocumentPath(endpoint.RoutePattern.RawText!), Policies: Policies(endpoint))))
        .GroupBy(r => r.Key)
        .ToDictionary(g => g.Key, g => g.First().Policies);

    private static List<string> Policies(Endpoint endpoint) => endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null
        ? []
        : [.. endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy ?? "(default)")];

    private static string DocumentPath(string pattern) =>
        "/" + RouteValue().Replace(pattern, m => "{" + m.Groups[1].Value + "}").Trim('/');

    [GeneratedRegex(@"\{\**([^}:=?]+)[^}]*\}")]
    private static partial Regex RouteValue();

    [Fact]
    public async Task The_bearer_scheme_is_required_exactly_on_the_routes_whose_policy_needs_a_token()
    {
        var document = await DocumentAsync();
        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer");
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        Assert.Equal("JWT", scheme.GetProperty("bearerFormat").GetString());
        Assert.False(document.TryGetProperty("security", out _), "no document-wide requirement: anonymous routes need none");

        var routes = RoutePolicies();
        var operations = Operations(document);
        Assert.Contains(operations, o => o.ToString() == "GET /fan/{wallet}/inventory");
        Assert.All(operations, operation =>
        {
            Assert.True(routes.TryGetValue(operation.ToString(), out var policies), $"{operation} is not a route");
            var requires = operation.Json.TryGetProperty("security", out var security)
                && security.EnumerateArray().Any(r => r.TryGetProperty("bearer", out _));
            Assert.True(requires == policies.Count > 0, $"{operation}: security {requires}, policies [{string.Join(",", policies)}]");

            var responses = operation.Json.GetProperty("responses");
            Assert.True(responses.TryGetProperty("401", out _) == policies.Count > 0, $"{operation}: 401 iff a token is required");
            var callerPolicy = policies.Any(p => p is "wallet-owner" or "creator" or "admin");
            Assert.True(responses.TryGetProperty("403", out _) == callerPolicy, $"{operation}: 403 iff the policy checks the caller");
        });
    }

    [Fact]
    public async Task Server_urls_have_no_trailing_slash_so_generated_clients_do_not_double_it()
    {
        var servers = (await DocumentAsync()).GetProperty("servers").EnumerateArray().Select(s => s.GetProperty("url").GetString()!).ToList();
        Assert.NotEmpty(servers);
        Assert.All(servers, url => Assert.False(url.EndsWith('/'), url));
    }

    [Fact]
    public async Task Every_operation_has_a_unique_operation_id()
    {
        var ids = Operations(await DocumentAsync())
            .Select(o => o.Json.TryGetProperty("operationId", out var id) ? id.GetString() : null)
            .ToList();

        Assert.DoesNotContain(null, ids);
        Assert.Empty(ids.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => g.Key));
        Assert.Contains("getButkiLoyalty", ids);
        Assert.Contains("getButkiLoyaltyByCreatorWallet", ids);
    }

    [Fact]
    public async Task Every_error_response_is_the_envelope_and_every_route_documents_400_429_and_503()
    {
        var document = await DocumentAsync();
        var envelope = document.GetProperty("components").GetProperty("schemas").GetProperty("ErrorEnvelope");
        Assert.Equal(["error", "success"], envelope.GetProperty("required").EnumerateArray().Select(e => e.GetString()).Order());

        Assert.All(Operations(document), operation =>
        {
            var responses = operation.Json.GetProperty("responses");
            foreach (var status in new[] { "400", "429", "503" })
            {
                Assert.True(responses.TryGetProperty(status, out _), $"{operation} lacks {status}");
            }

            foreach (var error in responses.EnumerateObject().Where(r => r.Name[0] is '4' or '5'))
            {
                var schema = error.Value.GetProperty("content").GetProperty("application/json").GetProperty("schema");
                Assert.True(schema.TryGetProperty("$ref", out var reference) && reference.GetString() == EnvelopeRef, $"{operation} {error.Name}");
            }
        });
    }

    [Fact]
    public async Task Every_tag_is_declared_with_a_description()
    {
        var document = await DocumentAsync();
        var declared = document.GetProperty("tags").EnumerateArray()
            .ToDictionary(t => t.GetProperty("name").GetString()!, t => t.TryGetProperty("description", out var d) ? d.GetString() : null);

        var used = Operations(document).SelectMany(o => o.Json.TryGetProperty("tags", out var tags) ? tags.EnumerateArray().Select(t => t.GetString()!) : []);
        Assert.All(used.Distinct(), tag => Assert.False(string.IsNullOrWhiteSpace(declared.GetValueOrDefault(tag)), $"tag {tag} has no description"));
    }
}
