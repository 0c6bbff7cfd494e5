using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Text;
using FanForge.Grains.Algorand;
using FanForge.Grains.Algorand.Clients;
using FanForge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FanForge.Tests.Algorand.Clients;

public sealed class IndexerClientTests : IAsyncLifetime
{
    private const ulong AppId = 123456;

    /// <summary>An indexer page holding one TipProxy tip: the application call with its inner payment, log and state delta.</summary>
    private const string TipPage = """
        { "current-round": 50000010, "next-token": "opaque-cursor",
          "transactions": [ {
            "id": "76XQBYCP7YUMCZB2RVWKV6VROM3KM3BMQS24VRREO7ZWYFK37HDQ",
            "tx-type": "appl", "sender": "KEODJINCZNJB34LLWJDLRXUOPGL44I24PZ3LEKR5OUB2ESAZ3WFASCY2EQ",
            "fee": 3000, "first-valid": 50000000, "last-valid": 50001000, "confirmed-round": 50000005,
            "intra-round-offset": 1, "round-time": 1763880000, "genesis-id": "testnet-v1.0",
            "group": "OUh0YkUbdTRDq7Tqzxaakx5MgChGUOMUmg30f4V3FJ4=",
            "application-transaction": { "application-id": 123456, "on-completion": "noop",
              "application-args": ["dGlw", "TUVNQkVSU0hJUDpCQVVOSQ=="], "accounts": [], "foreign-apps": [], "foreign-assets": [] },
            "logs": ["URw0oaLLUh3xa7JGuN6OeZfOI1x+drIqPXUDokgZ3YoAAAAAAExLQE1FTUJFUlNISVA6QkFVTkk="],
            "inner-txns": [ { "tx-type": "pay", "sender": "NT4CBDVACSANU27N7PHDQQVOL4AKTVGGMIWUXBV676LGNDEB66PQ3GYD4I", "fee": 0,
              "payment-transaction": { "amount": 5000000, "receiver": "2VBAPWQZJF35Z5DK3P7MFPBOOW2S2WUKIIME73P5YAACJ4HD5DNPYRK464" } } ],
            "global-state-delta": [ { "key": "dG90YWxfdGlwcw==", "value": { "action": 2, "uint": 1 } } ],
            "signature": { "sig": "cwIiRsgDUEyWcB/IG8rFkQNiTXgQEA9Gq9K9Jw2BRyhly2Ku+yaRDpAXgY/xc+QBpOoTygPTTC23b7fzMNI1Cw==" } } ] }
        """;

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

    internal static AlgorandNodeOptions FastOptions(Uri baseUrl, string token = "") => AlgorandNodeOptions.ForIndexer(baseUrl, token) with
    {
        Timeout = TimeSpan.FromSeconds(5),
        InitialBackoff = TimeSpan.FromMilliseconds(5),
        MaxBackoff = TimeSpan.FromSeconds(2),
    };

    private readonly List<ServiceProvider> providers = [];

    /// <summary>The client as the silo gets it: from the HTTP client factory, with the resilience pipeline.</summary>
    private IIndexerClient Client(string token = "")
    {
        var services = new ServiceCollection()
            .AddAlgorandNodeClients(AlgodClientTests.FastOptions(node.BaseUrl), FastOptions(node.BaseUrl, token))
            .BuildServiceProvider();
        providers.Add(services);
        return services.GetRequiredService<IIndexerClient>();
    }

    [Fact]
    public async Task The_TipProxy_example_decodes()
    {
        node.Enqueue("GET", "/v2/transactions", FakeResponse.Json(TipPage));
        var group = Vectors.Load("algorand/transactions.json").GetProperty("group");

        var page = await Client().SearchApplicationCallsAsync(AppId, 50_000_000, null, 100);

        Assert.Equal(50_000_010UL, page.CurrentRound);
        Assert.Equal("opaque-cursor", page.NextToken);
        var tip = Assert.Single(page.Transactions);
        Assert.Equal(group.GetProperty("txns")[1].Text("txid"), tip.Id);
        Assert.Equal("appl", tip.TxType);
        Assert.Equal("KEODJINCZNJB34LLWJDLRXUOPGL44I24PZ3LEKR5OUB2ESAZ3WFASCY2EQ", tip.Sender);
        Assert.Equal(3000UL, tip.Fee);
        Assert.Equal((50_000_005UL, 1UL), (tip.ConfirmedRound, tip.IntraRoundOffset));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_763_880_000), tip.RoundTime);
        Assert.Equal(Convert.FromBase64String(group.Text("group_id_b64")), tip.Group);
        Assert.Null(tip.Note);
        Assert.Equal((AppId, "noop"), (tip.ApplicationId, tip.OnCompletion));
        Assert.Equal(["tip", "MEMBERSHIP:BAUNI"], tip.ApplicationArgs.Select(a => Encoding.UTF8.GetString(a)));
        Assert.Null(tip.PaymentAmount);

        // The TipProxy log: sender key ‖ uint64_be(amount) ‖ memo.
        var log = Assert.Single(tip.Logs);
        Assert.Equal(AlgorandAddress.Parse(tip.Sender).PublicKey, log[..32]);
        Assert.Equal(5_000_000UL, BinaryPrimitives.ReadUInt64BigEndian(log.AsSpan(32, 8)));
        Assert.Equal("MEMBERSHIP:BAUNI", Encoding.UTF8.GetString(log.AsSpan(40)));

        var payout = Assert.Single(tip.InnerTransactions);
        Assert.Null(payout.Id);
        Assert.Equal("pay", payout.TxType);
        Assert.Equal(AlgorandAddress.ForApplication(AppId).ToString(), payout.Sender);
        Assert.Equal(5_000_000UL, payout.PaymentAmount);
        Assert.Equal("2VBAPWQZJF35Z5DK3P7MFPBOOW2S2WUKIIME73P5YAACJ4HD5DNPYRK464", payout.PaymentReceiver);
        Assert.Null(payout.ConfirmedRound);
    }

    [Fact]
    public async Task Paging_follows_next_tokens_until_an_empty_page_and_sends_the_documented_query()
    {
        foreach (var (round, intra) in new[] { (50_000_003UL, 0UL), (50_000_001UL, 4UL), (50_000_001UL, 2UL), (50_000_006UL, 1UL) })
        {
            node.AddIndexerTransaction(AppCall(AppId, round, intra));
        }

        node.AddIndexerTransaction(AppCall(999, 50_000_002, 0));
        node.AddIndexerTransaction(AppCall(AppId, 49_999_999, 0));
        var indexer = Client();

        var pages = await PagesAsync(next => indexer.SearchApplicationCallsAsync(AppId, 50_000_000, next, 2));

        Assert.Equal([2, 2, 0], pages.Select(p => p.Transactions.Count));
        Assert.Equal(
            ["50000001:2", "50000001:4", "50000003:0", "50000006:1"],
            pages.SelectMany(p => p.Transactions).Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.ConfirmedRound}:{t.IntraRoundOffset}")));
        Assert.All(pages, p => Assert.Equal(node.IndexerRound, p.CurrentRound));
        Assert.Null(pages[^1].NextToken);

        var requests = node.RequestsTo("/v2/transactions");
        Assert.Equal(3, requests.Count);
        Assert.All(requests, r =>
        {
            Assert.Equal("123456", r.Query["application-id"]);
            Assert.Equal("appl", r.Query["tx-type"]);
            Assert.Equal("50000000", r.Query["min-round"]);
            Assert.Equal("2", r.Query["limit"]);
        });
        Assert.False(requests[0].Query.ContainsKey("next"));
        Assert.Equal(pages[0].NextToken, requests[1].Query["next"]);
        Assert.Equal(pages[1].NextToken, requests[2].Query["next"]);
    }

    [Fact]
    public async Task Lookup_finds_a_transaction_or_returns_null()
    {
        node.AddIndexerTransaction(AppCall(AppId, 50_000_002, 0, id: "TXONE"));
        var indexer = Client("indexer-secret");

        var found = await indexer.LookupTransactionAsync("TXONE");
        var missing = await indexer.LookupTransactionAsync("TXTWO");

        Assert.Equal(("TXONE", (ulong?)AppId), (found?.Id, found?.ApplicationId));
        Assert.Null(missing);
        Assert.Equal("/v2/transactions/TXONE", node.Requests[0].Path);
        Assert.Equal("indexer-secret", node.Requests[0].Headers["X-Indexer-API-Token"]);
        Assert.False(node.Requests[0].Headers.ContainsKey("X-Algo-API-Token"));
    }

    [Fact]
    public async Task Health_reports_the_imported_round_and_no_token_means_no_header()
    {
        node.IndexerRound = 50_000_123;

        Assert.Equal(50_000_123UL, await Client().GetHealthAsync());
        Assert.False(Assert.Single(node.Requests).Headers.ContainsKey("X-Indexer-API-Token"));
    }

    [Fact]
    public async Task The_DI_registration_gives_the_indexer_its_own_options_and_header()
    {
        await using var services = new ServiceCollection()
            .AddLogging()
            .AddAlgorandNodeClients(
                AlgodClientTests.FastOptions(new Uri("http://127.0.0.1:1"), "algod-token"),
                FastOptions(node.BaseUrl, "indexer-token"))
            .BuildServiceProvider();

        var round = await services.GetRequiredService<IIndexerClient>().GetHealthAsync();

        Assert.Equal(node.IndexerRound, round);
        var request = Assert.Single(node.Requests);
        Assert.Equal("indexer-token", request.Headers["X-Indexer-API-Token"]);
        Assert.False(request.Headers.ContainsKey("X-Algo-API-Token"));
        Assert.Throws<ArgumentException>(() => new ServiceCollection().AddAlgorandNodeClients(
            AlgorandNodeOptions.ForAlgod(new Uri("/relative", UriKind.Relative)), FastOptions(node.BaseUrl)));
    }

    [Fact]
    public async Task Indexer_errors_use_the_same_retry_rules()
    {
        node.Enqueue("GET", "/v2/transactions", FakeResponse.Error(500, "db unavailable"), FakeResponse.Error(400, "invalid input: next"));

        var error = await Assert.ThrowsAsync<AlgorandNodeException>(() => Client().SearchApplicationCallsAsync(AppId, 1, "garbage", 10));

        Assert.Equal(2, node.Requests.Count);
        Assert.Equal("invalid input: next", error.NodeMessage);
        Assert.StartsWith("indexer GET /v2/transactions failed after 2 attempts: 400", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Client().SearchApplicationCallsAsync(AppId, 1, null, 0));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Client().SearchApplicationCallsAsync(AppId, 1, null, 10_001));
    }

    [Fact]
    public async Task A_round_search_sends_min_and_max_round_and_pages_through_every_type_in_the_range()
    {
        node.AddIndexerTransaction(Payment(50_000_002, 1));
        node.AddIndexerTransaction(AppCall(AppId, 50_000_004, 0));
        node.AddIndexerTransaction(AppCall(999, 50_000_002, 0));
        node.AddIndexerTransaction(Payment(50_000_003, 0));
        node.AddIndexerTransaction(Payment(50_000_001, 7)); // below the range
        node.AddIndexerTransaction(AppCall(AppId, 50_000_005, 0)); // above it
        var indexer = Client();

        var pages = await PagesAsync(next => indexer.SearchRoundsAsync(50_000_002, 50_000_004, next, 2));

        Assert.Equal([2, 2, 0], pages.Select(p => p.Transactions.Count));
        Assert.Equal(
            ["50000002:0 appl", "50000002:1 pay", "50000003:0 pay", "50000004:0 appl"],
            pages.SelectMany(p => p.Transactions).Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.ConfirmedRound}:{t.IntraRoundOffset} {t.TxType}")));
        var payment = pages[0].Transactions[1];
        Assert.Equal((1_000_000UL, "2VBAPWQZJF35Z5DK3P7MFPBOOW2S2WUKIIME73P5YAACJ4HD5DNPYRK464"), (payment.PaymentAmount!.Value, payment.PaymentReceiver));
        Assert.Null(payment.ApprovalProgram);

        var requests = node.RequestsTo("/v2/transactions");
        Assert.Equal(3, requests.Count);
        Assert.All(requests, r =>
        {
            Assert.Equal("50000002", r.Query["min-round"]);
            Assert.Equal("50000004", r.Query["max-round"]);
            Assert.Equal("2", r.Query["limit"]);
            // No filter but the rounds: a follower must see payments and the calls of every app.
            Assert.False(r.Query.ContainsKey("application-id"));
            Assert.False(r.Query.ContainsKey("tx-type"));
        });
        Assert.False(requests[0].Query.ContainsKey("next"));
        Assert.Equal(pages[0].NextToken, requests[1].Query["next"]);
        Assert.Equal(pages[1].NextToken, requests[2].Query["next"]);
    }

    [Fact]
    public async Task Approval_programs_of_creates_and_updates_and_the_created_application_index_decode()
    {
        // A TipProxy create, its update and a plain call, with the fields the indexer sends for each.
        node.Enqueue("GET", "/v2/transactions", FakeResponse.Json("""
            { "current-round": 50000010,
              "transactions": [
                { "id": "CREATE", "tx-type": "appl", "sender": "KEODJINCZNJB34LLWJDLRXUOPGL44I24PZ3LEKR5OUB2ESAZ3WFASCY2EQ",
                  "fee": 1000, "confirmed-round": 50000003, "intra-round-offset": 0, "round-time": 1763880000,
                  "created-application-index": 123457,
                  "application-transaction": { "application-id": 0, "on-completion": "noop",
                    "application-args": ["AQ=="], "approval-program": "CIEBQw==", "clear-state-program": "CIEB",
                    "global-state-schema": { "num-uint": 5, "num-byte-slice": 2 },
                    "local-state-schema": { "num-uint": 0, "num-byte-slice": 0 } } },
                { "id": "UPDATE", "tx-type": "appl", "sender": "KEODJINCZNJB34LLWJDLRXUOPGL44I24PZ3LEKR5OUB2ESAZ3WFASCY2EQ",
                  "fee": 1000, "confirmed-round": 50000004, "intra-round-offset": 2, "round-time": 1763880004,
                  "application-transaction": { "application-id": 123457, "on-completion": "update",
                    "approval-program": "CoEC", "clear-state-program": "CoECQw==" } },
                { "id": "CALL", "tx-type": "appl", "sender": "KEODJINCZNJB34LLWJDLRXUOPGL44I24PZ3LEKR5OUB2ESAZ3WFASCY2EQ",
                  "fee": 1000, "confirmed-round": 50000004, "intra-round-offset": 3, "round-time": 1763880004,
                  "application-transaction": { "application-id": 123457, "on-completion": "noop", "application-args": ["cGF1c2U="] } } ] }
            """));

        var page = await Client().SearchRoundsAsync(50_000_003, 50_000_004, null, 10);

        Assert.Null(page.NextToken);
        Assert.Equal(["CREATE", "UPDATE", "CALL"], page.Transactions.Select(t => t.Id));
        var (create, update, call) = (page.Transactions[0], page.Transactions[1], page.Transactions[2]);
        Assert.Equal((0UL, 123_457UL), (create.ApplicationId!.Value, create.CreatedApplicationId!.Value));
        Assert.Equal(new byte[] { 0x08, 0x81, 0x01, 0x43 }, create.ApprovalProgram);
        Assert.Equal(("update", 123_457UL, (ulong?)null), (update.OnCompletion, update.ApplicationId!.Value, update.CreatedApplicationId));
        Assert.Equal(new byte[] { 0x0a, 0x81, 0x02 }, update.ApprovalProgram);
        Assert.Null(call.ApprovalProgram);
        Assert.Null(call.CreatedApplicationId);
        Assert.Equal("50000003", Assert.Single(node.Requests).Query["min-round"]);
    }

    [Fact]
    public async Task Asset_transfers_decode_with_their_receiver_clawback_source_and_close_to()
    {
        // A holder's own transfer, a clawback (the indexer's "sender" inside the transfer is asnd) and a close-out, as the
        // indexer sends them: empty roles are absent or "".
        node.Enqueue("GET", "/v2/transactions", FakeResponse.Json("""
            { "current-round": 50000010,
              "transactions": [
                { "id": "OWN", "tx-type": "axfer", "sender": "KEODJINCZNJB34LLWJDLRXUOPGL44I24PZ3LEKR5OUB2ESAZ3WFASCY2EQ",
                  "fee": 1000, "confirmed-round": 50000005, "intra-round-offset": 0, "round-time": 1763880000,
                  "asset-transfer-transaction": { "asset-id": 7001, "amount": 1, "close-amount": 0,
                    "receiver": "2VBAPWQZJF35Z5DK3P7MFPBOOW2S2WUKIIME73P5YAACJ4HD5DNPYRK464" } },
                { "id": "CLAW", "tx-type": "axfer", "sender": "NT4CBDVACSANU27N7PHDQQVOL4AKTVGGMIWUXBV676LGNDEB66PQ3GYD4I",
                  "fee": 1000, "confirmed-round": 50000005, "intra-round-offset": 1, "round-time": 1763880000,
                  "asset-transfer-transaction": { "asset-id": 7001, "amount": 1, "close-amount": 0,
                    "receiver": "NT4CBDVACSANU27N7PHDQQVOL4AKTVGGMIWUXBV676LGNDEB66PQ3GYD4I",
                    "sender": "2VBAPWQZJF35Z5DK3P7MFPBOOW2S2WUKIIME73P5YAACJ4HD5DNPYRK464" } },
                { "id": "CLOSE", "tx-type": "axfer", "sender": "KEODJINCZNJB34LLWJDLRXUOPGL44I24PZ3LEKR5OUB2ESAZ3WFASCY2EQ",
                  "fee": 1000, "confirmed-round": 50000005, "intra-round-offset": 2, "round-time": 1763880000,
                  "asset-transfer-transaction": { "asset-id": 7002, "amount": 0, "close-amount": 1, "sender": "",
                    "receiver": "KEODJINCZNJB34LLWJDLRXUOPGL44I24PZ3LEKR5OUB2ESAZ3WFASCY2EQ",
                    "close-to": "2VBAPWQZJF35Z5DK3P7MFPBOOW2S2WUKIIME73P5YAACJ4HD5DNPYRK464" } } ] }
            """));

        var page = await Client().SearchRoundsAsync(50_000_005, 50_000_005, null, 10);

        var (own, claw, close) = (page.Transactions[0], page.Transactions[1], page.Transactions[2]);
        Assert.Equal((7001UL, 1UL, "2VBAPWQZJF35Z5DK3P7MFPBOOW2S2WUKIIME73P5YAACJ4HD5DNPYRK464", (string?)null, (string?)null),
            (own.AssetId!.Value, own.AssetAmount!.Value, own.AssetReceiver, own.AssetClawbackFrom, own.AssetCloseTo));
        Assert.Equal("2VBAPWQZJF35Z5DK3P7MFPBOOW2S2WUKIIME73P5YAACJ4HD5DNPYRK464", claw.AssetClawbackFrom);
        Assert.Equal((7002UL, 0UL, (string?)null, "2VBAPWQZJF35Z5DK3P7MFPBOOW2S2WUKIIME73P5YAACJ4HD5DNPYRK464"),
            (close.AssetId!.Value, close.AssetAmount!.Value, close.AssetClawbackFrom, close.AssetCloseTo));
        Assert.Null(own.PaymentAmount);
    }

    [Fact]
    public async Task A_reversed_range_is_the_indexers_400_and_max_round_zero_never_leaves_the_client()
    {
        var reversed = await Assert.ThrowsAsync<AlgorandNodeException>(() => Client().SearchRoundsAsync(50_000_005, 50_000_004, null, 10));

        Assert.Equal(HttpStatusCode.BadRequest, reversed.StatusCode);
        Assert.Equal("invalid input: min-round must be less than max-round", reversed.NodeMessage);
        Assert.Single(node.Requests);

        // The indexer would read max-round=0 as no bound at all and answer every round from min-round on.
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Client().SearchRoundsAsync(0, 0, null, 10));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Client().SearchRoundsAsync(1, 2, null, 0));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Client().SearchRoundsAsync(1, 2, null, 10_001));
        Assert.Single(node.Requests);
    }

    private static string Payment(ulong round, ulong intra) => $$"""
        {"id": "PAY{{round}}X{{intra}}", "tx-type": "pay", "sender": "KEODJINCZNJB34LLWJDLRXUOPGL44I24PZ3LEKR5OUB2ESAZ3WFASCY2EQ",
         "fee": 1000, "confirmed-round": {{round}}, "intra-round-offset": {{intra}}, "round-time": 1763880000,
         "payment-transaction": {"amount": 1000000, "receiver": "2VBAPWQZJF35Z5DK3P7MFPBOOW2S2WUKIIME73P5YAACJ4HD5DNPYRK464", "close-amount": 0} }
        """;

    private static string AppCall(ulong appId, ulong round, ulong intra, string? id = null) => $$"""
        {"id": "{{id ?? $"TX{round}X{intra}"}}", "tx-type": "appl", "sender": "KEODJINCZNJB34LLWJDLRXUOPGL44I24PZ3LEKR5OUB2ESAZ3WFASCY2EQ",
         "fee": 1000, "confirmed-round": {{round}}, "intra-round-offset": {{intra}}, "round-time": 1763880000,
         "application-transaction": {"application-id": {{appId}}, "on-completion": "noop", "application-args": []} }
        """;

    /// <summary>Pages a search as a caller does: with each page's token, until an empty page (at most 10).</summary>
    private static async Task<List<IndexerTransactionPage>> PagesAsync(Func<string?, Task<IndexerTransactionPage>> search)
    {
        var pages = new List<IndexerTransactionPage>();
        string? next = null;
        do
        {
            var page = await search(next);
            pages.Add(page);
            next = page.NextToken;
            if (page.Transactions.Count == 0)
            {
                break;
            }
        }
        while (pages.Count < 10);
        return pages;
    }
}
