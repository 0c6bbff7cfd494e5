using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using FanForge.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace FanForge.Tests.Payments;

/// <summary>A request as the fake received it: the form-encoded body decoded to its bracketed keys.</summary>
public sealed record StripeRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, IReadOnlyDictionary<string, string> Form)
{
    public string? IdempotencyKey => Headers.TryGetValue("Idempotency-Key", out var key) ? key : null;
}

/// <summary>
/// An in-process Stripe API on a loopback socket speaking its wire format: form-encoded POSTs with bracketed keys,
/// <c>Authorization: Bearer sk_…</c>, <c>Idempotency-Key</c> (a replayed key gets the first answer, as Stripe does),
/// real-shaped JSON objects and <c>{"error":{type,code,message}}</c> errors. Serves Checkout Session creation and
/// PaymentIntent retrieval.
/// </summary>
public sealed class FakeStripe : IAsyncDisposable
{
    private readonly ConcurrentQueue<StripeRequest> requests = new();
    private readonly ConcurrentDictionary<string, (int Status, string Body)> byIdempotencyKey = new();
    private LoopbackServer server = null!;
    private int sessions;

    public Uri BaseUrl => server.BaseUrl;

    public IReadOnlyList<StripeRequest> Requests => [.. requests];

    /// <summary>PaymentIntent id → its metadata (as set through <c>payment_intent_data[metadata]</c>).</summary>
    public ConcurrentDictionary<string, Dictionary<string, string>> Intents { get; } = new();

    /// <summary>The next session creation answers this error instead (then the normal answer again).</summary>
    public (int Status, string Type, string Code)? FailNextSession { get; set; }

    public static async Task<FakeStripe> StartAsync()
    {
        var fake = new FakeStripe();
        fake.server = await LoopbackServer.StartAsync(fake.ServeAsync);
        return fake;
    }

    public IReadOnlyList<StripeRequest> SessionCreations => [.. requests.Where(r => r is { Method: "POST", Path: "/v1/checkout/sessions" })];

    public ValueTask DisposeAsync() => server.DisposeAsync();

    private async Task ServeAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var form = QueryHelpers.ParseQuery(body).ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
        var request = new StripeRequest(context.Request.Method, context.Request.Path.Value ?? "",
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), form);
        requests.Enqueue(request);

        // Like Stripe, a request refused before it ran (here: a scripted failure) is not remembered under its key.
        var (status, json) = request.Path == "/v1/checkout/sessions" && FailNextSession is { } failure
            ? Fail(failure)
            : !request.Headers.TryGetValue("Authorization", out var auth) || !auth.StartsWith("Bearer sk_", StringComparison.Ordinal)
            ? Error(401, "invalid_request_error", "api_key_invalid", "Invalid API Key provided.")
            : request.Method == "POST" && request.IdempotencyKey is { } key
                ? byIdempotencyKey.GetOrAdd(key, _ => Answer(request))
                : Answer(request);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json);
    }

    private (int, string) Answer(StripeRequest request)
    {
        var segments = request.Path.Trim('/').Split('/');
        return (request.Method, segments) switch
        {
            ("POST", ["v1", "checkout", "sessions"]) => CreateSession(request.Form),
            ("GET", ["v1", "payment_intents", var id]) when Intents.TryGetValue(id, out var metadata) => (200, new JsonObject
            {
                ["id"] = id, ["object"] = "payment_intent", ["amount"] = 0, ["currency"] = "usd", ["status"] = "succeeded",
                ["metadata"] = Metadata(metadata),
            }.ToJsonString()),
            _ => Error(404, "invalid_request_error", "resource_missing", $"No such resource: {request.Path}"),
        };
    }

    private (int, string) CreateSession(IReadOnlyDictionary<string, string> form)
    {
        if (!form.TryGetValue("mode", out var mode) || !form.ContainsKey("success_url"))
        {
            return Error(400, "invalid_request_error", "parameter_missing", "Missing required param: mode or success_url.");
        }

        var id = $"cs_test_fake{Interlocked.Increment(ref sessions):D4}";
        var amount = long.Parse(form["line_items[0][price_data][unit_amount]"], CultureInfo.InvariantCulture)
            * long.Parse(form.GetValueOrDefault("line_items[0][quantity]", "1"), CultureInfo.InvariantCulture);
        var metadata = form.Where(f => f.Key.StartsWith("metadata[", StringComparison.Ordinal))
            .ToDictionary(f => f.Key["metadata[".Length..^1], f => f.Value);
        var session = new JsonObject
        {
            ["id"] = id,
            ["object"] = "checkout.session",
            ["amount_subtotal"] = amount,
            ["amount_total"] = amount,
            ["cancel_url"] = form.GetValueOrDefault("cancel_url"),
            ["client_reference_id"] = form.GetValueOrDefault("client_reference_id"),
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["currency"] = form["line_items[0][price_data][currency]"],
            ["expires_at"] = form.TryGetValue("expires_at", out var expires) ? long.Parse(expires, CultureInfo.InvariantCulture) : DateTimeOffset.UtcNow.AddHours(24).ToUnixTimeSeconds(),
            ["livemode"] = false,
            ["metadata"] = Metadata(metadata),
            ["mode"] = mode,
            ["payment_intent"] = null,
            ["payment_status"] = "unpaid",
            ["status"] = "open",
            ["success_url"] = form["success_url"],
            ["url"] = $"https://checkout.stripe.com/c/pay/{id}",
        };
        return (200, session.ToJsonString());
    }

    private (int, string) Fail((int Status, string Type, string Code) failure)
    {
        FailNextSession = null;
        return Error(failure.Status, failure.Type, failure.Code, "Scripted failure.");
    }

    private static JsonObject Metadata(IReadOnlyDictionary<string, string> metadata) =>
        new(metadata.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)JsonValue.Create(m.Value))));

    private static (int, string) Error(int status, string type, string code, string message) =>
        (status, new JsonObject { ["error"] = new JsonObject { ["type"] = type, ["code"] = code, ["message"] = message } }.ToJsonString());
}
