using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FanForge.Tests.Infrastructure;

namespace FanForge.Tests.Health;

public sealed class HealthApiTests(FanForgeApiFactory factory) : IClassFixture<FanForgeApiFactory>
{
    [Fact]
    public async Task Health_returns_the_prototype_shape_with_the_chain_as_the_watcher_sees_it()
    {
        // The watcher asks the (simulated) indexer on its first poll, right after start-up.
        var body = await ClusterHosts.EventuallyAsync(
            async () => await factory.CreateClient().GetFromJsonAsync<JsonElement>("/health"),
            b => b.GetProperty("algorand_connected").GetBoolean(), TimeSpan.FromSeconds(10), "the chain to be reachable");

        Assert.Equal("healthy", body.GetProperty("status").GetString());
        Assert.Equal(1000UL, body.GetProperty("last_round").GetUInt64()); // the simulated chain's initial round
        // The prototype's one tz-aware timestamp: ISO 8601 with an explicit offset.
        Assert.EndsWith("+00:00", body.GetProperty("timestamp").GetString());
        Assert.Equal(1, body.GetProperty("active_silos").GetInt32());
    }

    [Fact]
    public async Task Health_live_answers_without_the_cluster()
    {
        var body = await factory.CreateClient().GetFromJsonAsync<JsonElement>("/health/live");

        Assert.Equal("live", body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Health_ready_lists_the_active_silo()
    {
        var response = await factory.CreateClient().GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cluster = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checks").GetProperty("cluster");
        Assert.Equal("healthy", cluster.GetProperty("status").GetString());
        var silo = Assert.Single(cluster.GetProperty("data").GetProperty("silos").EnumerateArray());
        Assert.StartsWith("127.0.0.1:", silo.GetString());
    }

    [Fact]
    public async Task OpenApi_document_describes_the_health_routes()
    {
        var document = await factory.CreateClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/health", out _));
        Assert.True(paths.TryGetProperty("/health/ready", out _));
    }

    [Fact]
    public async Task Docs_page_is_served_with_its_script_from_this_host()
    {
        var client = factory.CreateClient();

        var page = await client.GetStringAsync("/docs/");
        var script = await client.GetAsync("/docs/scalar.js");

        // Scalar resolves this against the site root, so the page reads the document the API serves.
        Assert.Contains("\"url\":\"openapi/v1.json\"", page);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
    }
}
