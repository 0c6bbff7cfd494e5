using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using FanForge.Grains.Algorand;
using FanForge.Grains.Algorand.Clients;
using FanForge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace FanForge.Tests.Algorand.Clients;

public sealed class AlgodClientTests : IAsyncLifetime
{
    private const string Token = "algod-secret-token-5f2c9e";
    private FakeAlgorandNode node = null!;

    public async Task InitializeAsync() => node = await FakeAlgorandNode.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var services in providers)
        {
            await services.DisposeAsync();
        }

        await node.DisposeAsync();
    }

    /// <summary>Short backoffs so retry tests stay well under a second; the timeout leaves room for a cold first request.</summary>
    internal static AlgorandNodeOptions FastOptions(Uri baseUrl, string token = "") => AlgorandNodeOptions.ForAlgod(baseUrl, token) with
    {
        Timeout = TimeSpan.FromSeconds(5),
        InitialBackoff = TimeSpan.FromMilliseconds(5),
        MaxBackoff = TimeSpan.FromSeconds(2),
    };

    private readonly List<ServiceProvider> providers = [];

    /// <summary>The client as the silo gets it: from the HTTP client factory, with the resilience pipeline.</summary>
    private IAlgodClient Client(AlgorandNodeOptions? options = null, ILoggerProvider? logs = null, TimeProvider? clock = null)
    {
        var collection = new ServiceCollection().AddLogging(b =>
        {
            if (logs is not null)
            {
                b.AddProvider(logs);
            }
        });
        if (clock is not null)
        {
            collection.AddSingleton(clock);
        }

        var services = collection
            .AddAlgorandNodeClients(options ?? FastOptions(node.BaseUrl), IndexerClientTests.FastOptions(node.BaseUrl))
            .BuildServiceProvider();
        providers.Add(services);
        return services.GetRequiredService<IAlgodClient>();
    }

    [Fact]
    public async Task Transaction_params_are_read_from_kebab_case_json()
    {
        var p = await Client().GetTransactionParamsAsync();

        Assert.Equal(node.ConsensusVersion, p.ConsensusVersion);
        Assert.Equal(0UL, p.FeePerByte);
        Assert.Equal(node.GenesisHash, p.GenesisHash);
        Assert.Equal(32, p.GenesisHash.Length);
        Assert.Equal("testnet-v1.0", p.GenesisId);
        Assert.Equal(50_000_000UL, p.LastRound);
        Assert.Equal(1000UL, p.MinFee);
        Assert.Equal("/v2/transactions/params", Assert.Single(node.Requests).Path);
    }

    [Fact]
    public async Task Submit_posts_the_exact_bytes_as_binary_with_the_token_header_and_keeps_the_token_out_of_logs()
    {
        var logs = new CapturingLoggerProvider();
        await using var services = new ServiceCollection()
            .AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace))
            .AddAlgorandNodeClients(FastOptions(node.BaseUrl, Token), IndexerClientTests.FastOptions(node.BaseUrl, "indexer-secret-token-77"))
            .BuildServiceProvider();
        var algod = services.GetRequiredService<IAlgodClient>();
        var group = Vectors.Load("algorand/transactions.json").GetProperty("group");
        var body = Convert.FromBase64String(group.Text("post_body_b64"));
        node.SubmitTxId = _ => group.GetProperty("txns")[0].Text("txid");

        var txid = await algod.SubmitAsync(body);

        Assert.Equal("ACIVVJJDPO5YNUZVBFPZBBMRFY4RRBLCOIMKDVUABF5GH5QFSJNA", txid);
        var request = Assert.Single(node.Requests);
        Assert.Equal(("POST", "/v2/transactions"), (request.Method, request.Path));
        Assert.Equal("application/x-binary", request.ContentType);
        Assert.Equal(body, request.Body);
        Assert.Equal(Token, request.Headers["X-Algo-API-Token"]);

        // A failure whose node text echoes the token, retried once: neither the exception nor any log line shows it.
        node.Enqueue("POST", "/v2/transactions", FakeResponse.Error(503, "busy"), FakeResponse.Error(401, "Invalid API Token " + Token));
        var error = await Assert.ThrowsAsync<AlgorandNodeException>(() => algod.SubmitAsync(body));

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.DoesNotContain(Token, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Token, error.NodeMessage, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, FastOptions(node.BaseUrl, Token).ToString(), StringComparison.Ordinal);
        Assert.Contains(logs.Lines, l => l.Contains("retrying", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.Contains("X-Algo-API-Token", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l => l.Contains(Token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Pending_transactions_report_confirmed_in_pool_rejected_and_unknown()
    {
        var log = Convert.ToBase64String(Encoding.UTF8.GetBytes("hello"));
        node.Pending["CONFIRMED"] = $$"""
            {"pool-error": "", "confirmed-round": 50000005, "asset-index": 777, "logs": ["{{log}}"],
             "txn": {"sig": "AAAA", "txn": {"type": "appl", "snd": "KEODJINCZNJB34LLWJDLRXUOPGL44I24PZ3LEKR5OUB2ESAZ3WFASCY2EQ", "fee": 3000} },
             "inner-txns": [{"pool-error": "", "txn": {"txn": {"type": "pay", "amt": 5000000} } }, {"txn": {"txn": {"type": "axfer"} } }]}
            """;
        node.Pending["INPOOL"] = """{"pool-error": "", "txn": {"sig": "AAAA", "txn": {"type": "pay"}}}""";
        node.Pending["KICKED"] = """{"pool-error": "transaction XYZ: overspend", "txn": {"txn": {"type": "pay"}}}""";
        var algod = Client();

        var confirmed = await algod.GetPendingTransactionAsync("CONFIRMED");
        var inPool = await algod.GetPendingTransactionAsync("INPOOL");
        var kicked = await algod.GetPendingTransactionAsync("KICKED");
        var unknown = await algod.GetPendingTransactionAsync("UNKNOWN");

        Assert.NotNull(confirmed);
        Assert.True(confirmed.IsConfirmed);
        Assert.False(confirmed.IsRejected);
        Assert.Equal(50_000_005UL, confirmed.ConfirmedRound);
        Assert.Equal(777UL, confirmed.AssetIndex);
        Assert.Null(confirmed.ApplicationIndex);
        Assert.Equal("hello"u8.ToArray(), Assert.Single(confirmed.Logs));
        Assert.Equal(2, confirmed.InnerTransactions.Count);
        Assert.NotNull(inPool);
        Assert.False(inPool.IsConfirmed);
        Assert.False(inPool.IsRejected);
        Assert.Empty(inPool.Logs);
        Assert.NotNull(kicked);
        Assert.True(kicked.IsRejected);
        Assert.Equal("transaction XYZ: overspend", kicked.PoolError);
        Assert.Null(unknown);
        Assert.Equal("/v2/transactions/pending/CONFIRMED", node.Requests[0].Path);
        Assert.Equal("json", node.Requests[0].Query["format"]);
    }

    [Fact]
    public async Task Two_503s_then_200_succeeds_after_retries()
    {
        node.Enqueue("GET", "/v2/status", FakeResponse.Error(503, "node is catching up"), FakeResponse.Error(503, "node is catching up"));
        var logs = new CapturingLoggerProvider();

        var status = await Client(logs: logs).GetStatusAsync();

        Assert.Equal(50_000_000UL, status.LastRound);
        Assert.Equal(TimeSpan.FromSeconds(1.5), status.TimeSinceLastRound);
        Assert.Equal(TimeSpan.Zero, status.CatchupTime);
        Assert.Equal(3, node.RequestsTo("/v2/status").Count);
        Assert.Equal(2, logs.Lines.Count(l => l.Contains("node is catching up", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Already_in_ledger_is_a_400_that_is_not_retried()
    {
        const string message = "TransactionPool.Remember: transaction already in ledger: ACIVVJJDPO5YNUZVBFPZBBMRFY4RRBLCOIMKDVUABF5GH5QFSJNA";
        node.Enqueue("POST", "/v2/transactions", FakeResponse.Error(400, message));

        var error = await Assert.ThrowsAsync<AlgorandNodeException>(() => Client().SubmitAsync(new byte[] { 0x82, 0xa3 }));

        Assert.True(error.IsAlreadyInLedger);
        Assert.False(error.IsTransient);
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal(message, error.NodeMessage);
        Assert.Equal(1, error.Attempts);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Single(node.Requests);
    }

    [Theory]
    [InlineData(400, "logic eval error: assert failed pc=42")]
    [InlineData(401, "Invalid API Token")]
    [InlineData(404, "Not Found")]
    public async Task Other_4xx_answers_fail_at_once(int status, string message)
    {
        node.Enqueue("GET", "/v2/transactions/params", FakeResponse.Error(status, message));

        var error = await Assert.ThrowsAsync<AlgorandNodeException>(() => Client().GetTransactionParamsAsync());

        Assert.Equal((HttpStatusCode)status, error.StatusCode);
        Assert.Equal(message, error.NodeMessage);
        Assert.False(error.IsAlreadyInLedger);
        Assert.Single(node.Requests);
    }

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    public async Task A_429_or_503_waits_for_its_Retry_After_then_succeeds(int status)
    {
        node.Enqueue("GET", "/v2/status", FakeResponse.Error(status, "rate limited").WithHeader("Retry-After", "1"));
        var started = Stopwatch.GetTimestamp();

        var answer = await Client().GetStatusAsync();

        Assert.Equal(50_000_000UL, answer.LastRound);
        // The backoff alone would be about 5 ms; only the header explains a second's wait.
        Assert.InRange(Stopwatch.GetElapsedTime(started), TimeSpan.FromMilliseconds(950), TimeSpan.FromSeconds(1.9));
        Assert.Equal(2, node.Requests.Count);
    }

    [Fact]
    public async Task A_429_asking_for_more_than_the_backoff_cap_fails_at_once_with_the_wait()
    {
        node.Enqueue("GET", "/v2/status", FakeResponse.Error(429, "rate limited").WithHeader("Retry-After", "120"));

        var error = await Assert.ThrowsAsync<AlgorandNodeException>(() => Client().GetStatusAsync());

        Assert.Equal(HttpStatusCode.TooManyRequests, error.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(120), error.RetryAfter);
        Assert.True(error.IsTransient);
        Assert.Single(node.Requests);
    }

    [Fact]
    public async Task A_Retry_After_date_is_measured_on_the_injected_clock()
    {
        var clock = new FakeTimeProvider();
        node.Enqueue("GET", "/v2/status", FakeResponse.Error(429, "rate limited")
            .WithHeader("Retry-After", clock.GetUtcNow().AddSeconds(5).ToString("R", CultureInfo.InvariantCulture)));
        // The attempt timeout runs on the same clock: keep it out of reach of the advances below.
        var options = FastOptions(node.BaseUrl) with { Timeout = TimeSpan.FromSeconds(29), TotalTimeout = TimeSpan.FromSeconds(29), MaxBackoff = TimeSpan.FromSeconds(10) };
        var call = Client(options, clock: clock).GetStatusAsync();

        // The date is absolute, so however the advances interleave with the first answer, the retry cannot come
        // before the clock reaches it.
        var advanced = TimeSpan.Zero;
        while (node.Requests.Count < 2 && advanced < TimeSpan.FromSeconds(20))
        {
            clock.Advance(TimeSpan.FromMilliseconds(500));
            advanced += TimeSpan.FromMilliseconds(500);
            await Task.Delay(10);
        }

        await call;
        Assert.InRange(advanced, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(19));
        Assert.Equal(2, node.Requests.Count);
    }

    [Fact]
    public async Task A_persistent_5xx_fails_after_the_last_retry_as_transient()
    {
        node.Handle("GET", "/v2/transactions/params", _ => FakeResponse.Error(500, "internal error"));

        var error = await Assert.ThrowsAsync<AlgorandNodeException>(() => Client().GetTransactionParamsAsync());

        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.True(error.IsTransient);
        Assert.Equal(4, error.Attempts);
        Assert.Equal(4, node.Requests.Count);
        Assert.Equal("algod GET /v2/transactions/params failed after 4 attempts: 500 InternalServerError: internal error", error.Message);
    }

    [Fact]
    public async Task An_unreadable_success_body_is_not_retried()
    {
        node.Enqueue("GET", "/v2/transactions/params", FakeResponse.Json("<html>gateway</html>"));

        var error = await Assert.ThrowsAsync<AlgorandNodeException>(() => Client().GetTransactionParamsAsync());

        Assert.Contains("unreadable body", error.Message, StringComparison.Ordinal);
        Assert.Single(node.Requests);
    }

    [Fact]
    public async Task A_hanging_node_times_out_each_attempt_and_then_fails_clearly()
    {
        node.Handle("GET", "/v2/status", _ => FakeResponse.Hanging());
        var options = FastOptions(node.BaseUrl) with { Timeout = TimeSpan.FromMilliseconds(300), MaxRetries = 2 };

        var error = await Assert.ThrowsAsync<AlgorandNodeException>(() => Client(options).GetStatusAsync());

        Assert.Null(error.StatusCode);
        Assert.True(error.IsTransient);
        Assert.Equal(3, error.Attempts);
        Assert.IsType<TimeoutException>(error.InnerException);
        Assert.Equal("algod GET /v2/status failed after 3 attempts: No answer within 300 ms.", error.Message);
        Assert.Equal(3, node.Requests.Count);
    }

    [Fact]
    public async Task A_hang_followed_by_an_answer_succeeds()
    {
        node.Enqueue("GET", "/v2/transactions/params", FakeResponse.Hanging());
        var options = FastOptions(node.BaseUrl) with { Timeout = TimeSpan.FromMilliseconds(150) };

        var p = await Client(options).GetTransactionParamsAsync();

        Assert.Equal(1000UL, p.MinFee);
        Assert.Equal(2, node.Requests.Count);
    }

    [Fact]
    public async Task The_callers_cancellation_is_not_retried()
    {
        node.Handle("GET", "/v2/status", _ => FakeResponse.Hanging());
        using var cancel = new CancellationTokenSource();
        var call = Client().GetStatusAsync(cancel.Token);
        await WaitUntilAsync(() => node.Requests.Count == 1);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        await Task.Delay(50);
        Assert.Single(node.Requests);
    }

    [Fact]
    public async Task A_refused_connection_is_retried_then_reported()
    {
        // A bound socket that never listens refuses connections, and holding it keeps another test's node off the port.
        using var closed = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        closed.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var deadUrl = new Uri($"http://{closed.LocalEndPoint}");

        var error = await Assert.ThrowsAsync<AlgorandNodeException>(() => Client(FastOptions(deadUrl) with { MaxRetries = 1 }).GetStatusAsync());

        Assert.Null(error.StatusCode);
        Assert.Equal(2, error.Attempts);
        Assert.IsType<HttpRequestException>(error.InnerException);
        Assert.StartsWith("algod GET /v2/status failed after 2 attempts: transport error:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_slow_node_fails_within_the_default_budget_before_the_grain_call_timeout()
    {
        // Production defaults: only the total budget can end this, since every attempt hangs.
        node.Handle("GET", "/v2/transactions/params", _ => FakeResponse.Hanging());
        var started = Stopwatch.GetTimestamp();

        var error = await Assert.ThrowsAsync<AlgorandNodeException>(() => Client(AlgorandNodeOptions.ForAlgod(node.BaseUrl)).GetTransactionParamsAsync());

        var elapsed = Stopwatch.GetElapsedTime(started);
        Assert.InRange(elapsed, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(25));
        Assert.True(elapsed < AlgorandNodeOptions.GrainCallTimeout);
        Assert.Null(error.StatusCode);
        Assert.True(error.IsTransient);
        Assert.IsType<TimeoutException>(error.InnerException);
        Assert.True(node.Requests.Count >= 2, $"expected retries, saw {node.Requests.Count} request(s)");
    }

    [Fact]
    public async Task A_long_poll_gets_its_own_budget_and_is_not_retried_past_it()
    {
        node.Handle("GET", "/v2/status/wait-for-block-after/50000004", _ => FakeResponse.Hanging());
        // The ordinary attempt timeout is shorter than the long poll's budget: the poll must not be cut at it.
        var options = FastOptions(node.BaseUrl) with { Timeout = TimeSpan.FromMilliseconds(200), LongPollTimeout = TimeSpan.FromMilliseconds(900) };
        var started = Stopwatch.GetTimestamp();

        var error = await Assert.ThrowsAsync<AlgorandNodeException>(() => Client(options).WaitForBlockAfterAsync(50_000_004));

        Assert.InRange(Stopwatch.GetElapsedTime(started), TimeSpan.FromMilliseconds(850), TimeSpan.FromSeconds(5));
        Assert.IsType<TimeoutException>(error.InnerException);
        Assert.Single(node.Requests);
    }

    [Fact]
    public async Task A_node_that_keeps_failing_opens_the_circuit_and_later_calls_fail_without_a_request()
    {
        node.Handle("GET", "/v2/status", _ => FakeResponse.Error(500, "down"));
        var algod = Client(FastOptions(node.BaseUrl) with { MaxRetries = 0 });

        for (var i = 0; i < 10; i++)
        {
            await Assert.ThrowsAsync<AlgorandNodeException>(() => algod.GetStatusAsync());
        }

        var sent = node.Requests.Count;
        var error = await Assert.ThrowsAsync<AlgorandNodeException>(() => algod.GetStatusAsync());

        Assert.Equal(sent, node.Requests.Count);
        Assert.True(error.IsTransient);
        Assert.Contains("circuit open", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wait_for_block_after_asks_for_the_next_round()
    {
        var status = await Client().WaitForBlockAfterAsync(50_000_004);

        Assert.Equal(50_000_005UL, status.LastRound);
        Assert.Equal("/v2/status/wait-for-block-after/50000004", Assert.Single(node.Requests).Path);
    }

    [Fact]
    public async Task Accounts_and_holdings_are_read()
    {
        var fan = AlgorandAddress.Parse("KEODJINCZNJB34LLWJDLRXUOPGL44I24PZ3LEKR5OUB2ESAZ3WFASCY2EQ");
        var rekeyedTo = AlgorandAddress.ForApplication(1).ToString();
        node.Accounts[fan.ToString()] = $$"""
            {"address": "{{fan}}", "amount": 12000000, "min-balance": 200000, "amount-without-pending-rewards": 12000000,
             "pending-rewards": 0, "rewards": 0, "round": 50000001, "status": "Offline", "total-assets-opted-in": 1,
             "total-created-assets": 0, "total-apps-opted-in": 0, "total-created-apps": 0,
             "assets": [{"asset-id": 9001, "amount": 1, "is-frozen": true}], "auth-addr": "{{rekeyedTo}}"}
            """;
        node.AccountAssets[$"{fan}/9001"] = """{"round": 50000001, "asset-holding": {"asset-id": 9001, "amount": 1, "is-frozen": true}}""";
        var algod = Client();

        var account = await algod.GetAccountAsync(fan);
        var holding = await algod.GetAccountAssetAsync(fan, 9001);
        var notOptedIn = await algod.GetAccountAssetAsync(fan, 9002);
        var stranger = await algod.GetAccountAsync(AlgorandAddress.ForApplication(2));

        Assert.Equal(new AccountInformation(fan.ToString(), 12_000_000, 200_000, account.Assets, rekeyedTo, 50_000_001), account);
        Assert.Equal(new AssetHolding(9001, 1, true), Assert.Single(account.Assets));
        Assert.Equal(new AssetHolding(9001, 1, true), holding);
        Assert.Null(notOptedIn);
        Assert.Equal(0UL, stranger.Amount);
        Assert.Empty(stranger.Assets);
        Assert.Null(stranger.AuthAddress);
        Assert.Equal($"/v2/accounts/{fan}/assets/9001", node.Requests[1].Path);
    }

    [Fact]
    public async Task Assets_are_read_with_the_b64_fallback_and_missing_ones_are_null()
    {
        var creator = AlgorandAddress.ForApplication(10).ToString();
        var platform = AlgorandAddress.ForApplication(11).ToString();
        var metadataHash = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        node.Assets[9001] = $$"""
            {"index": 9001, "params": {"creator": "{{creator}}", "total": 1, "decimals": 0, "default-frozen": true,
             "unit-name": "FFM", "unit-name-b64": "RkZN", "name-b64": "{{Convert.ToBase64String("Fan\u00e9 #1"u8)}}",
             "url": "ipfs://bafy#arc3", "url-b64": "aXBmczovL2JhZnkjYXJjMw==", "metadata-hash": "{{Convert.ToBase64String(metadataHash)}}",
             "manager": "{{platform}}", "freeze": "{{platform}}", "clawback": "{{platform}}"} }
            """;
        var algod = Client();

        var asset = await algod.GetAssetAsync(9001);
        var missing = await algod.GetAssetAsync(9002);

        Assert.NotNull(asset);
        Assert.Equal(9001UL, asset.Index);
        var p = asset.Params;
        Assert.Equal((creator, 1UL, 0UL, true), (p.Creator, p.Total, p.Decimals, p.DefaultFrozen));
        Assert.Equal(("FFM", "Fan\u00e9 #1", "ipfs://bafy#arc3"), (p.UnitName, p.Name, p.Url));
        Assert.Equal(metadataHash, p.MetadataHash);
        Assert.Equal((platform, (string?)null, platform, platform), (p.Manager, p.Reserve, p.Freeze, p.Clawback));
        Assert.Null(missing);
    }

    [Fact]
    public async Task Application_global_state_keeps_raw_keys_and_typed_values_and_the_programs_are_read()
    {
        var creator = AlgorandAddress.ForApplication(10).ToString();
        node.Applications[123456] = $$"""
            {"id": 123456, "params": {"creator": "{{creator}}", "approval-program": "CiABAQ==", "clear-state-program": "CoEBQw==",
             "global-state-schema": {"num-uint": 5, "num-byte-slice": 2}, "local-state-schema": {"num-uint": 0, "num-byte-slice": 0},
             "global-state": [
               {"key": "dG90YWxfdGlwcw==", "value": {"type": 2, "uint": 18446744073709551615, "bytes": ""} },
               {"key": "b3duZXI=", "value": {"type": 1, "bytes": "{{Convert.ToBase64String(AlgorandAddress.Parse(creator).PublicKey)}}", "uint": 0} }]} }
            """;
        var algod = Client();

        var app = await algod.GetApplicationAsync(123456);
        var missing = await algod.GetApplicationAsync(654321);

        Assert.NotNull(app);
        Assert.Equal((123456UL, creator), (app.Id, app.Creator));
        Assert.Equal(new TealValue(TealValueType.Uint, [], ulong.MaxValue).Uint, app.FindGlobal("total_tips"u8)?.Uint);
        Assert.Equal(TealValueType.Uint, app.FindGlobal("total_tips"u8)?.Type);
        var owner = app.FindGlobal("owner"u8);
        Assert.Equal(TealValueType.Bytes, owner?.Type);
        Assert.Equal(AlgorandAddress.Parse(creator).PublicKey, owner?.Bytes);
        Assert.Null(app.FindGlobal("absent"u8));
        Assert.Equal(Convert.FromBase64String("CiABAQ=="), app.ApprovalProgram);
        Assert.Equal(Convert.FromBase64String("CoEBQw=="), app.ClearStateProgram);
        Assert.Null(missing);
    }

    [Fact]
    public async Task Teal_is_posted_as_text_and_the_program_comes_back_as_bytes()
    {
        const string source = "#pragma version 10\nint 1\nreturn\n";

        var compiled = await Client().CompileTealAsync(source);

        var request = Assert.Single(node.Requests);
        Assert.Equal(("POST", "/v2/teal/compile"), (request.Method, request.Path));
        Assert.StartsWith("text/plain", request.ContentType, StringComparison.Ordinal);
        Assert.Equal(source, Encoding.UTF8.GetString(request.Body));
        Assert.Equal([10, .. Encoding.UTF8.GetBytes(source)], compiled.Result);
        Assert.Equal(AlgorandAddress.FromPublicKey(Sha512_256.Hash("Program"u8, compiled.Result)).ToString(), compiled.Hash);
    }

    [Fact]
    public async Task A_base_url_with_a_path_prefix_keeps_the_prefix()
    {
        var options = FastOptions(new Uri(node.BaseUrl, "/algod/"));

        await Assert.ThrowsAsync<AlgorandNodeException>(() => Client(options).GetStatusAsync());

        Assert.Equal("/algod/v2/status", Assert.Single(node.Requests).Path);
    }

    [Fact]
    public void Options_are_validated_and_print_without_the_token()
    {
        Assert.Throws<ArgumentException>(() => new AlgodHttpClient(new HttpClient(), AlgorandNodeOptions.ForAlgod(new Uri("ftp://node"))));
        Assert.Throws<ArgumentException>(() => new AlgodHttpClient(new HttpClient(), FastOptions(new Uri("http://node")) with { Timeout = TimeSpan.Zero }));
        // Budgets that would outlive Orleans' grain-call timeout are refused at start-up.
        Assert.Throws<ArgumentException>(() => new AlgodHttpClient(new HttpClient(), FastOptions(new Uri("http://node")) with { TotalTimeout = TimeSpan.FromSeconds(30) }));
        Assert.Throws<ArgumentException>(() => new AlgodHttpClient(new HttpClient(), FastOptions(new Uri("http://node")) with { LongPollTimeout = TimeSpan.FromSeconds(70) }));
        var defaults = AlgorandNodeOptions.ForAlgod(new Uri("http://node"));
        Assert.True(defaults.TotalTimeout < AlgorandNodeOptions.GrainCallTimeout);
        Assert.True(defaults.LongPollTimeout < AlgorandNodeOptions.GrainCallTimeout);
        Assert.Contains("ApiToken = ***", FastOptions(new Uri("http://node"), Token).ToString(), StringComparison.Ordinal);
        Assert.Contains("ApiToken = (none)", FastOptions(new Uri("http://node")).ToString(), StringComparison.Ordinal);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}
