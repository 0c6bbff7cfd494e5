using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using FanForge.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace FanForge.Tests.Onramp;

/// <summary>A request as the fake received it, with the status it answered.</summary>
public sealed record TransakRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body, int Status)
{
    public string Route => $"{Method} {Path}";

    public JsonNode? Json => Body.Length == 0 ? null : JsonNode.Parse(Body);

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// An in-process Transak on a loopback socket speaking its wire format: <c>POST /partners/api/v2/refresh-token</c>
/// (header <c>api-secret</c>, body <c>{"apiKey"}</c> → <c>{"data":{"accessToken","expiresAt"}}</c>, expiry in Unix
/// seconds on the tests' clock), <c>POST /api/v2/auth/session</c> and <c>GET /partners/api/v2/order/{id}</c> (header
/// <c>access-token</c>). As at Transak, every refresh revokes the token before it: only the newest is accepted.
/// </summary>
public sealed class FakeTransak : IAsyncDisposable
{
    public const string ApiSecret = "transak-test-api-secret";
    public const string RefreshPath = "/partners/api/v2/refresh-token";
    public const string SessionPath = "/api/v2/auth/session";
    public const string OrderPath = "/partners/api/v2/order/";

    public static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(1);

    private readonly TimeProvider time;
    private readonly string apiKey;
    private readonly ConcurrentQueue<TransakRequest> requests = new();
    private readonly ConcurrentQueue<string> issued = new();
    private readonly ConcurrentDictionary<string, int> failing = new();
    private readonly Lock gate = new();
    private LoopbackServer server = null!;
    private string? currentToken;
    private int sessions;

    private FakeTransak(TimeProvider time, string apiKey) => (this.time, this.apiKey) = (time, apiKey);

    public Uri BaseUrl => server.BaseUrl;

    public IReadOnlyList<TransakRequest> Requests => [.. requests];

    /// <summary>Every access token issued, oldest first; the last one is the only one accepted.</summary>
    public IReadOnlyList<string> IssuedTokens => [.. issued];

    /// <summary>Transak order id → the order's <c>data</c> object as the order API returns it.</summary>
    public ConcurrentDictionary<string, JsonObject> Orders { get; } = new();

    public static async Task<FakeTransak> StartAsync(TimeProvider time, string apiKey)
    {
        var fake = new FakeTransak(time, apiKey);
        fake.server = await LoopbackServer.StartAsync(fake.ServeAsync);
        return fake;
    }

    /// <summary>Requests to <paramref name="path"/> (or below it) answer <paramref name="status"/> until <see cref="Heal"/>.</summary>
    public void Fail(string path, int status) => failing[path] = status;

    public void Heal(string path) => failing.TryRemove(path, out _);

    /// <summary>Someone else refreshes with the same API key (another deployment, the dashboard): ours is revoked.</summary>
    public string RefreshElsewhere() => Issue();

    public ValueTask DisposeAsync() => server.DisposeAsync();

    private async Task ServeAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var (method, path) = (context.Request.Method, context.Request.Path.Value ?? "");
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var (status, json) = failing.FirstOrDefault(f => path.StartsWith(f.Key, StringComparison.Ordinal)) is { Key: not null } failure
            ? Error(failure.Value, "Scripted failure.")
            : Answer(method, path, headers, body);
        requests.Enqueue(new TransakRequest(method, path, headers, body, status));
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json);
    }

    private (int, string) Answer(string method, string path, IReadOnlyDictionary<string, string> headers, string body)
    {
        if (method == "POST" && path == RefreshPath)
        {
            return headers.GetValueOrDefault("api-secret") != ApiSecret || JsonNode.Parse(body)?["apiKey"]?.GetValue<string>() != apiKey
                ? Error(401, "Invalid api key or secret.")
                : Data(new JsonObject { ["accessToken"] = Issue(), ["expiresAt"] = (time.GetUtcNow() + TokenLifetime).ToUnixTimeSeconds() });
        }

        if (headers.GetValueOrDefault("access-token") is not { } token || token != Volatile.Read(ref currentToken))
        {
            return Error(401, "Invalid access token.");
        }

        if (method == "POST" && path == SessionPath)
        {
            var widget = JsonNode.Parse(body)?["widgetParams"];
            return widget?["apiKey"]?.GetValue<string>() != apiKey || widget["referrerDomain"] is null
                ? Error(400, "widgetParams.apiKey and widgetParams.referrerDomain are required.")
                : Data(new JsonObject { ["widgetUrl"] = $"https://global-stg.transak.com?apiKey={apiKey}&sessionId=fake-session-{Interlocked.Increment(ref sessions):D4}" });
        }

        return method == "GET" && path.StartsWith(OrderPath, StringComparison.Ordinal) && Orders.TryGetValue(path[OrderPath.Length..], out var order)
            ? (200, new JsonObject { ["meta"] = new JsonObject { ["orderId"] = path[OrderPath.Length..] }, ["data"] = order.DeepClone() }.ToJsonString())
            : Error(404, $"No such resource: {path}");
    }

    private string Issue()
    {
        lock (gate)
        {
            var token = $"fake-partner-access-token-{issued.Count + 1:D4}-{Guid.NewGuid():N}";
            issued.Enqueue(token);
            Volatile.Write(ref currentToken, token);
            return token;
        }
    }

    private static (int, string) Data(JsonObject data) => (200, new JsonObject { ["data"] = data }.ToJsonString());

    private static (int, string) Error(int status, string message) =>
        (status, JsonSerializer.Serialize(new { error = new { statusCode = status, message } }));
}
