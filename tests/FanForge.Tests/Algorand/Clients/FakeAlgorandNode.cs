using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using FanForge.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FanForge.Tests.Algorand.Clients;

/// <summary>A request as the fake received it; headers are keyed case-insensitively.</summary>
public sealed record RecordedRequest(
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Query,
    IReadOnlyDictionary<string, string> Headers,
    string? ContentType,
    byte[] Body);

/// <summary>A scripted answer. <see cref="Hanging"/> never answers until the client gives up or the fake stops.</summary>
public sealed record FakeResponse(int StatusCode, string Body)
{
    public string ContentType { get; init; } = "application/json";

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public bool Hang { get; init; }

    public static FakeResponse Json(string json, int statusCode = 200) => new(statusCode, json);

    /// <summary>algod's and the indexer's error shape.</summary>
    public static FakeResponse Error(int statusCode, string message) =>
        new(statusCode, new JsonObject { ["message"] = message }.ToJsonString());

    public static FakeResponse Hanging() => new(200, "") { Hang = true };

    public FakeResponse WithHeader(string name, string value) =>
        this with { Headers = new Dictionary<string, string>(Headers) { [name] = value } };
}

/// <summary>
/// An in-process algod + indexer on a real loopback socket, speaking the wire formats of the algod and indexer v2
/// REST APIs (kebab-case JSON, base64 bytes, <c>application/x-binary</c> submits, <c>{"message": …}</c> errors). It records
/// every request, answers from a small mutable ledger state by default, and lets a test script one-shot answers
/// (<see cref="Enqueue"/>) or a standing override (<see cref="Handle"/>) per method and path.
/// </summary>
public sealed class FakeAlgorandNode : IAsyncDisposable
{
    private readonly CancellationTokenSource stopping = new();
    private readonly ConcurrentQueue<RecordedRequest> requests = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<FakeResponse>> scripted = new();
    private readonly ConcurrentDictionary<string, Func<RecordedRequest, FakeResponse>> handlers = new();
    private readonly List<JsonObject> indexerTransactions = [];
    private readonly object ledgerLock = new();
    private LoopbackServer server = null!;

    public Uri BaseUrl => server.BaseUrl;

    public IReadOnlyList<RecordedRequest> Requests => [.. requests];

    // Ledger state behind the default answers; tests change it freely.
    public ulong LastRound { get; set; } = 50_000_000;

    public ulong IndexerRound { get; set; } = 50_000_010;

    public string ConsensusVersion { get; set; } = "https://github.com/algorandfoundation/specs/tree/953304de35264fc3ef91bcd05c123242015eeaed";

    public string GenesisId { get; set; } = "testnet-v1.0";

    public byte[] GenesisHash { get; set; } = Convert.FromBase64String("SGO1GKSzyE7IEPItTxCByw9x8FmnrCDexi9/cOUJOiI=");

    public ulong MinFee { get; set; } = 1000;

    /// <summary>What <c>POST /v2/transactions</c> answers as <c>txId</c> for a body (the fake does not parse msgpack).</summary>
    public Func<byte[], string> SubmitTxId { get; set; } = _ => "ACIVVJJDPO5YNUZVBFPZBBMRFY4RRBLCOIMKDVUABF5GH5QFSJNA";

    /// <summary>txid → the raw JSON algod answers for <c>/v2/transactions/pending/{txid}</c>; absent → 404.</summary>
    public ConcurrentDictionary<string, string> Pending { get; } = new();

    /// <summary>address → raw account JSON; absent → an empty account, as algod answers for unknown addresses.</summary>
    public ConcurrentDictionary<string, string> Accounts { get; } = new();

    /// <summary>"address/asset-id" → raw JSON; absent → 404 "account asset info not found".</summary>
    public ConcurrentDictionary<string, string> AccountAssets { get; } = new();

    public ConcurrentDictionary<ulong, string> Assets { get; } = new();

    public ConcurrentDictionary<ulong, string> Applications { get; } = new();

    public static async Task<FakeAlgorandNode> StartAsync()
    {
        var node = new FakeAlgorandNode();
        node.server = await LoopbackServer.StartAsync(node.ServeAsync);
        return node;
    }

    /// <summary>One-shot answers for <paramref name="method"/> <paramref name="path"/>, used in order before anything else.</summary>
    public void Enqueue(string method, string path, params FakeResponse[] responses)
    {
        var queue = scripted.GetOrAdd(Key(method, path), _ => new ConcurrentQueue<FakeResponse>());
        foreach (var response in responses)
        {
            queue.Enqueue(response);
        }
    }

    /// <summary>A standing answer for <paramref name="method"/> <paramref name="path"/>, replacing the default one.</summary>
    public void Handle(string method, string path, Func<RecordedRequest, FakeResponse> handler) =>
        handlers[Key(method, path)] = handler;

    public IReadOnlyList<RecordedRequest> RequestsTo(string path) => [.. requests.Where(r => r.Path == path)];

    /// <summary>Adds a row the indexer search and lookup serve (an indexer <c>Transaction</c> JSON object).</summary>
    public void AddIndexerTransaction(string json)
    {
        lock (ledgerLock)
        {
            indexerTransactions.Add(JsonNode.Parse(json)!.AsObject());
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        await server.DisposeAsync();
        stopping.Dispose();
    }

    private static string Key(string method, string path) => method.ToUpperInvariant() + " " + path;

    private async Task ServeAsync(HttpContext context)
    {
        var request = await RecordAsync(context.Request);
        requests.Enqueue(request);

        var key = Key(request.Method, request.Path);
        var response = scripted.TryGetValue(key, out var queue) && queue.TryDequeue(out var next) ? next
            : handlers.TryGetValue(key, out var handler) ? handler(request)
            : Default(request);

        if (response.Hang)
        {
            using var hang = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping.Token);
            try
            {
                await Task.Delay(Timeout.Infinite, hang.Token);
            }
            catch (OperationCanceledException)
            {
                // The client gave up or the fake is stopping; either way nobody reads an answer.
            }

            return;
        }

        context.Response.StatusCode = response.StatusCode;
        context.Response.ContentType = response.ContentType;
        foreach (var (name, value) in response.Headers)
        {
            context.Response.Headers[name] = value;
        }

        await context.Response.WriteAsync(response.Body);
    }

    private static async Task<RecordedRequest> RecordAsync(HttpRequest request)
    {
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        return new RecordedRequest(
            request.Method,
            request.Path.Value ?? "",
            request.Query.ToDictionary(q => q.Key, q => q.Value.ToString()),
            request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            request.ContentType,
            body.ToArray());
    }

    private FakeResponse Default(RecordedRequest request)
    {
        var segments = request.Path.Trim('/').Split('/');
        return (request.Method, segments) switch
        {
            ("GET", ["v2", "transactions", "params"]) => Json(new JsonObject
            {
                ["consensus-version"] = ConsensusVersion,
                ["fee"] = 0,
                ["genesis-hash"] = Convert.ToBase64String(GenesisHash),
                ["genesis-id"] = GenesisId,
                ["last-round"] = LastRound,
                ["min-fee"] = MinFee,
            }),
            ("POST", ["v2", "transactions"]) => request.Body.Length == 0
                ? FakeResponse.Error(400, "empty transaction group")
                : Json(new JsonObject { ["txId"] = SubmitTxId(request.Body) }),
            ("GET", ["v2", "transactions", "pending", var txid]) => Pending.TryGetValue(txid, out var pending)
                ? FakeResponse.Json(pending)
                : FakeResponse.Error(404, "could not find the transaction in the transaction pool or in the last 1000 confirmed rounds"),
            ("GET", ["v2", "status"]) => Status(),
            ("GET", ["v2", "status", "wait-for-block-after", var round]) => WaitForBlockAfter(ulong.Parse(round, CultureInfo.InvariantCulture)),
            ("GET", ["v2", "accounts", var address]) => Accounts.TryGetValue(address, out var account)
                ? FakeResponse.Json(account)
                : Json(new JsonObject
                {
                    ["address"] = address,
                    ["amount"] = 0,
                    ["min-balance"] = 100_000,
                    ["amount-without-pending-rewards"] = 0,
                    ["pending-rewards"] = 0,
                    ["rewards"] = 0,
                    ["round"] = LastRound,
                    ["status"] = "Offline",
                    ["total-apps-opted-in"] = 0,
                    ["total-assets-opted-in"] = 0,
                    ["total-created-apps"] = 0,
                    ["total-created-assets"] = 0,
                }),
            ("GET", ["v2", "accounts", var address, "assets", var assetId]) => AccountAssets.TryGetValue(address + "/" + assetId, out var holding)
                ? FakeResponse.Json(holding)
                : FakeResponse.Error(404, "account asset info not found"),
            ("GET", ["v2", "assets", var assetId]) => Assets.TryGetValue(ulong.Parse(assetId, CultureInfo.InvariantCulture), out var asset)
                ? FakeResponse.Json(asset)
                : FakeResponse.Error(404, "asset does not exist"),
            ("GET", ["v2", "applications", var appId]) => Applications.TryGetValue(ulong.Parse(appId, CultureInfo.InvariantCulture), out var application)
                ? FakeResponse.Json(application)
                : FakeResponse.Error(404, "application does not exist"),
            ("POST", ["v2", "teal", "compile"]) => Compile(request.Body),
            ("GET", ["v2", "transactions"]) => SearchTransactions(request),
            ("GET", ["v2", "transactions", var txid]) => LookupTransaction(txid),
            ("GET", ["health"]) => Json(new JsonObject
            {
                ["data"] = new JsonObject(),
                ["db-available"] = true,
                ["is-migrating"] = false,
                ["message"] = IndexerRound.ToString(CultureInfo.InvariantCulture),
                ["round"] = IndexerRound,
                ["version"] = "3.9.0",
            }),
            _ => FakeResponse.Error(404, "Not Found"),
        };
    }

    private static FakeResponse Json(JsonObject body) => FakeResponse.Json(body.ToJsonString());

    private FakeResponse Status() => Json(new JsonObject
    {
        ["catchup-time"] = 0,
        ["last-round"] = LastRound,
        ["last-version"] = ConsensusVersion,
        ["next-version"] = ConsensusVersion,
        ["next-version-round"] = LastRound + 1,
        ["next-version-supported"] = true,
        ["stopped-at-unsupported-round"] = false,
        ["time-since-last-round"] = 1_500_000_000,
    });

    private FakeResponse WaitForBlockAfter(ulong round)
    {
        // The fake makes the block the caller waits for, so confirmation loops advance without a clock.
        lock (ledgerLock)
        {
            LastRound = Math.Max(LastRound, round + 1);
        }

        return Status();
    }

    private static FakeResponse Compile(byte[] source)
    {
        // Not real TEAL assembly: a version byte and the source, hashed the way algod names a program's address.
        byte[] program = [10, .. source];
        var hash = FanForge.Grains.Algorand.AlgorandAddress.FromPublicKey(FanForge.Grains.Algorand.Sha512_256.Hash("Program"u8, program));
        return Json(new JsonObject { ["hash"] = hash.ToString(), ["result"] = Convert.ToBase64String(program) });
    }

    private FakeResponse SearchTransactions(RecordedRequest request)
    {
        var limit = request.Query.TryGetValue("limit", out var l) ? int.Parse(l, CultureInfo.InvariantCulture) : 1000;
        if (limit is < 0 or > 10_000)
        {
            return FakeResponse.Error(400, "invalid input: limit");
        }

        var minRound = request.Query.TryGetValue("min-round", out var m) ? ulong.Parse(m, CultureInfo.InvariantCulture) : 0;

        // As the indexer: 0 (or no max-round) is no upper bound, and a reversed range is refused only when both are set.
        var maxRound = request.Query.TryGetValue("max-round", out var x) ? ulong.Parse(x, CultureInfo.InvariantCulture) : 0;
        if (minRound != 0 && maxRound != 0 && minRound > maxRound)
        {
            return FakeResponse.Error(400, "invalid input: min-round must be less than max-round");
        }

        ulong? appId = request.Query.TryGetValue("application-id", out var a) ? ulong.Parse(a, CultureInfo.InvariantCulture) : null;
        request.Query.TryGetValue("tx-type", out var txType);
        var after = request.Query.TryGetValue("next", out var next) ? DecodeToken(next) : ((ulong, ulong)?)null;

        List<JsonObject> page;
        lock (ledgerLock)
        {
            page = [.. indexerTransactions
                .Where(t => Round(t) >= minRound)
                .Where(t => maxRound == 0 || Round(t) <= maxRound)
                .Where(t => appId is null || (ulong?)t["application-transaction"]?["application-id"] == appId)
                .Where(t => txType is null || (string?)t["tx-type"] == txType)
                .OrderBy(Round).ThenBy(Intra)
                .Where(t => after is not { } cursor || (Round(t), Intra(t)).CompareTo(cursor) > 0)
                .Take(limit)
                .Select(t => t.DeepClone().AsObject())];
        }

        var body = new JsonObject { ["current-round"] = IndexerRound };
        if (page.Count > 0)
        {
            body["next-token"] = EncodeToken(Round(page[^1]), Intra(page[^1]));
        }

        body["transactions"] = new JsonArray([.. page]);
        return Json(body);
    }

    private FakeResponse LookupTransaction(string txid)
    {
        lock (ledgerLock)
        {
            var found = indexerTransactions.FirstOrDefault(t => (string?)t["id"] == txid);
            return found is null
                ? FakeResponse.Error(404, "no transaction found for transaction id: " + txid)
                : Json(new JsonObject { ["current-round"] = IndexerRound, ["transaction"] = found.DeepClone() });
        }
    }

    private static ulong Round(JsonObject t) => (ulong?)t["confirmed-round"] ?? 0;

    private static ulong Intra(JsonObject t) => (ulong?)t["intra-round-offset"] ?? 0;

    // Opaque to clients, as the real one is; only the fake reads it back.
    private static string EncodeToken(ulong round, ulong intra) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{round}:{intra}")));

    private static (ulong, ulong) DecodeToken(string token)
    {
        var parts = Encoding.UTF8.GetString(Convert.FromBase64String(token)).Split(':');
        return (ulong.Parse(parts[0], CultureInfo.InvariantCulture), ulong.Parse(parts[1], CultureInfo.InvariantCulture));
    }
}

/// <summary>Keeps every formatted log line (and exception text) so tests can check that secrets stay out.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> lines = new();

    public IReadOnlyList<string> Lines => [.. lines];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            // The structured state too: a header logged as a property would not show in the formatted message.
            var structured = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join(";", pairs.Select(p => $"{p.Key}={p.Value}"))
                : "";
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {structured} {exception}");
        }
    }
}
