using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FanForge.Grains.Algorand;
using FanForge.Tests.Infrastructure;
using FanForge.Tests.Templates;

namespace FanForge.Tests.Contract;

/// <summary>
/// How to call one contract route on the development host and what must come back: the status (200, or the
/// documented error of a route whose external service is off in development) and the response fields, written as
/// paths: <c>a.b</c> is a nested field, <c>a[].b</c> a field of every item of a non-empty array, <c>a.{b,c}</c> and
/// <c>{a,b}</c> several.
/// </summary>
public sealed record RouteCase(string Route, Func<ContractWorld, Task<HttpRequestMessage>> Request, IReadOnlyList<string> Fields)
{
    public HttpStatusCode Status { get; init; } = HttpStatusCode.OK;

    /// <summary>The error code of a documented non-200 answer.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>Keeps what later cases need from the answer (an id the walk created), or waits for its effect.</summary>
    public Func<ContractWorld, JsonElement, Task>? Then { get; init; }

    public string Key => ContractRoutes.Key(Route.Split(' ')[0], Route.Split(' ')[1]);

    public override string ToString() => Route;
}

/// <summary>The route list of api/CONTRACT.md and the walk's table of cases stay in step.</summary>
public sealed class ContractRouteListTests
{
    [Fact]
    public void The_parser_finds_every_route_of_the_contract()
    {
        var routes = ContractRoutes.Load();
        var keys = routes.Select(r => r.Key).ToHashSet();

        // The prototype's 63 routes in "## Routes", and our 6 concrete additions.
        Assert.True(routes.Count >= 69, $"only {routes.Count} routes parsed: {string.Join(", ", routes)}");
        Assert.Contains(ContractRoutes.Key("POST", "/creator/{w}/sticker-template"), keys);
        Assert.Contains(ContractRoutes.Key("DELETE", "/creator/{w}/template/{id}"), keys);
        Assert.Contains(ContractRoutes.Key("POST", "/creator/{w}/pause-contract"), keys);
        Assert.Contains(ContractRoutes.Key("POST", "/creator/{w}/unpause-contract"), keys);
        Assert.Contains(ContractRoutes.Key("GET", "/creator/{w}/products"), keys);
        Assert.Contains(ContractRoutes.Key("PATCH", "/creator/{w}/products/{id}"), keys);
        Assert.Contains(ContractRoutes.Key("GET", "/onramp/fan/{wallet}/orders"), keys);
        Assert.Contains(ContractRoutes.Key("GET", "/shawty/{w}/redemptions"), keys);
        Assert.Contains(ContractRoutes.Key("POST", "/payments/webhook"), keys);
        Assert.Contains(ContractRoutes.Key("GET", "/health/ready"), keys);
        Assert.DoesNotContain(routes, r => r.Path is "/docs" or "/ws");
    }

    [Fact]
    public void The_parser_reads_continued_bullets_and_inherited_methods()
    {
        const string markdown = """
            ## Routes (method path — auth — notes)
            Group
            - GET /a/{w}?x&y · POST|GET /b `{body}` — notes
              · DELETE /c/{id}/d (admin only)
            - POST /e/{w}/one · /two · /three
              wrapped note line
            ## Additions of ours (beyond the prototype)
            - GET /docs (reference) and the OpenAPI document
            - POST /f, GET /g/h, metrics endpoint
            - WebSocket /ws live feed
            """;

        var routes = ContractRoutes.Parse(markdown).Select(r => r.ToString());

        Assert.Equal(
            ["GET /a/{w}", "POST /b", "GET /b", "DELETE /c/{id}/d", "POST /e/{w}/one", "POST /e/{w}/two", "POST /e/{w}/three", "POST /f", "GET /g/h"],
            routes);
        Assert.Throws<FormatException>(() => ContractRoutes.Parse("## Routes\n- FETCH /x\n## Additions of ours\n"));
    }

    [Fact]
    public void Every_contract_route_has_exactly_one_case_in_the_walk()
    {
        var contract = ContractRoutes.Load().Select(r => r.Key).ToList();
        var cases = ContractRouteWalkTests.Cases.Select(c => c.Key).ToList();

        Assert.Empty(cases.GroupBy(k => k).Where(g => g.Count() > 1).Select(g => g.Key));
        Assert.True(contract.Except(cases).ToList() is [], $"CONTRACT.md routes without a case: {string.Join(", ", contract.Except(cases))}");
        Assert.True(cases.Except(contract).ToList() is [], $"cases for routes CONTRACT.md does not list: {string.Join(", ", cases.Except(contract))}");
    }
}

/// <summary>
/// Every route in api/CONTRACT.md answers with the prototype's shape on the dev server.
/// One world (built once through HTTP), every route called in an order that respects side effects, each answer
/// checked for its status and the prototype's fields plus the superset fields we serve for the unchanged pages.
/// </summary>
public sealed class ContractRouteWalkTests(ContractWalkFixture fixture) : IClassFixture<ContractWalkFixture>
{
    private const string Envelope = "success";

    /// <summary>The documented error answer: the prototype's envelope.</summary>
    private static readonly string[] ErrorEnvelope = ["success", "error.{code,message,details}"];

    private static RouteCase Case(string route, Func<ContractWorld, HttpRequestMessage> request, params string[] fields) =>
        new(route, w => Task.FromResult(request(w)), fields);

    private static RouteCase CaseAsync(string route, Func<ContractWorld, Task<HttpRequestMessage>> request, params string[] fields) =>
        new(route, request, fields);

    private static Func<ContractWorld, JsonElement, Task> Keep(Action<ContractWorld, JsonElement> keep) => (w, body) =>
    {
        keep(w, body);
        return Task.CompletedTask;
    };

    private static HttpRequestMessage Get(string path, string? token = null) => ContractWorld.Get(path, token);

    private static HttpRequestMessage Post(string path, object? body, string? token = null) => ContractWorld.Post(path, body, token);

    private static string C(ContractWorld w) => $"/creator/{w.Creator.Address}";

    private static string F(ContractWorld w) => w.Fan.Address;

    /// <summary>Shared item shapes.</summary>
    private const string TemplateFields = "id,creatorWallet,name,ipfsHash,imageUrl,metadataUrl,stickerType,category,tipThreshold,createdAt,mintCount,image_url,sticker_type,mint_count,tip_threshold";
    private const string ProductFields = "id,slug,name,description,image_ipfs_hash,price_algo,stock_quantity,active";
    private const string StoreFields = "id,slug,name,description,image_ipfs_hash,price_algo,stock_quantity";
    private const string DiscountFields = "id,product_id,discount_type,value,min_shawty_tokens,requires_bauni,max_uses_per_wallet,active";
    private const string PageMeta = "meta.{limit,offset,skip,total,hasMore}";
    private const string TokenFields = "{walletAddress,role,accessToken,tokenType,expiresInSeconds,refreshToken}";
    private const string MintFields = "{assetId,stickerType,name,metadataUrl,ownerWallet,txId,message}";
    private const string ContractCallFields = "{unsignedTxn,appId,action,message}";
    private const string PriceFields = "butki_min_tip_algo,membership_price_algo,membership_validity_days,shawty_price_algo";
    private const string PayoutScheduleFields = "mode,threshold_algo,threshold_micro,since,minimum_payout_micro";

    /// <summary>Every route of CONTRACT.md, in walk order (reads before the writes that would change them, deletes last).</summary>
    public static readonly IReadOnlyList<RouteCase> Cases =
    [
        // System
        Case("GET /health", _ => Get("/health"), "status", "algorand_connected", "last_round", "timestamp"),
        Case("GET /health/live", _ => Get("/health/live"), "status", "timestamp"),
        Case("GET /health/ready", _ => Get("/health/ready"), "status", "checks"),
        Case("GET /params", _ => Get("/params"), "fee", "firstValidRound", "lastValidRound", "genesisId", "genesisHash"),
        Case("GET /listener/status", _ => Get("/listener/status"),
            "running", "lastProcessedRound", "errorsCount", "pollIntervalSeconds", "retryEnabled", "maxRetryAttempts",
            "metrics.{tips_processed_total,failed_mints_count,retry_success_count,retry_fail_count,indexer_query_errors,last_processed_round,current_round,listener_lag_rounds,tips_per_minute,heartbeat_age_seconds}"),
        Case("GET /contract/info", _ => Get("/contract/info?name=tip_proxy"),
            "compiled", "name", "description", "version", "global_uints", "global_bytes", "local_uints", "local_bytes", "methods"),
        Case("GET /contract/list", _ => Get("/contract/list"), "contracts[].{name,compiled,description,version,methods}"),
        Case("POST /contract/deploy", w => Post("/contract/deploy", new { sender = F(w), contractName = "tip_proxy" }, w.FanToken),
            "unsignedTxn", "contractName", "appArgs.globalSchema.{numUints,numBytes}", "appArgs.localSchema.{numUints,numBytes}"),
        Case("POST /contract/fund", w => Post("/contract/fund", new { sender = F(w), appId = w.App.AppId, amount = 100_000 }, w.FanToken),
            "unsignedTxn", "appAddress", "amount"),

        // Auth, each on a session of its own so the world's tokens stay valid
        Case("POST /auth/challenge", w => Post("/auth/challenge", new { walletAddress = F(w) }), "walletAddress", "nonce", "expiresAt", "message"),
        CaseAsync("POST /auth/verify", async w =>
        {
            var wallet = TemplatesApiFactory.NewWallet();
            var challenge = await HttpAssert.OkAsync(await w.Http.PostAsJsonAsync("/auth/challenge", new { walletAddress = wallet.Address }));
            var nonce = challenge.GetProperty("nonce").GetString()!;
            return Post("/auth/verify", new { walletAddress = wallet.Address, nonce, signature = wallet.SignBytes(nonce) });
        }, TokenFields),
        CaseAsync("POST /auth/refresh", async w =>
        {
            var login = await w.Factory.LoginAsync(TemplatesApiFactory.NewWallet());
            return Post("/auth/refresh", new { refreshToken = login.GetProperty("refreshToken").GetString() });
        }, TokenFields),
        CaseAsync("POST /auth/logout", async w => Post("/auth/logout", null, await w.TokenAsync(TemplatesApiFactory.NewWallet())), "success"),

        // Creator
        CaseAsync("POST /creator/register", async w =>
        {
            var wallet = TemplatesApiFactory.NewWallet();
            return Post("/creator/register", new { wallet_address = wallet.Address, min_tip_algo = 0.5 }, await w.TokenAsync(wallet));
        }, "walletAddress", "username", "appId", "appAddress", "version", "minTipAlgo", "txId", "message"),
        Case("GET /creator/{w}/contract", w => Get($"{C(w)}/contract"),
            "creatorWallet", "appId", "appAddress", "version", "active", "deployedAt", "app_id", "app_address"),
        Case("GET /creator/{w}/contract/stats", w => Get($"{C(w)}/contract/stats", w.CreatorToken),
            "appId", "totalTips", "totalAmountAlgo", "minTipAlgo", "paused", "contractVersion",
            "app_id", "total_tips", "total_amount_algo", "total_algo_received", "min_tip_algo", "contract_version"),
        Case("GET /creator/{w}/dashboard", w => Get($"{C(w)}/dashboard", w.CreatorToken),
            "walletAddress", "username", "totalFans", "totalStickersMinted",
            "contract.{creatorWallet,appId,appAddress,version,active,deployedAt,app_id,app_address}",
            "stats.{app_id,total_tips,total_amount_algo,min_tip_algo,paused,contract_version,totalAmountAlgo,total_algo_received}",
            "recentTransactions[].{txId,fanWallet,amountAlgo,memo,processed,detectedAt,fan_wallet,amount_algo,detected_at}"),
        Case("POST /creator/{w}/upgrade-contract", w => Post($"{C(w)}/upgrade-contract", null, w.CreatorToken),
            "oldAppId", "newAppId", "newAppAddress", "newVersion", "message"),
        Case("POST /creator/{w}/pause-contract", w => Post($"{C(w)}/pause-contract", null, w.CreatorToken), ContractCallFields),
        Case("POST /creator/{w}/unpause-contract", w => Post($"{C(w)}/unpause-contract", null, w.CreatorToken), ContractCallFields),
        Case("POST /creator/{w}/sticker-template", w => ContractWorld.Request(HttpMethod.Post, $"{C(w)}/sticker-template", w.CreatorToken,
            TemplatesApiFactory.Form("Walk Spare", TemplatesApiFactory.Png(), "soulbound", "walk_spare", "3")), $"{{{TemplateFields}}}")
            with { Then = Keep((w, body) => w.WalkTemplateId = body.GetProperty("id").GetInt64()) },
        Case("GET /creator/{w}/templates", w => Get($"{C(w)}/templates", w.CreatorToken),
            "creatorWallet", "total", $"templates[].{{{TemplateFields}}}"),

        // Merch, creator side: a product of the walk's own is created, changed and deleted
        Case("POST /creator/{w}/products", w => Post($"{C(w)}/products",
            new { slug = "walk-mug", name = "Walk Mug", description = "Stoneware", price_algo = 1.5, stock_quantity = 5, active = true }, w.CreatorToken),
            Envelope, $"data.{{{ProductFields}}}")
            with { Then = Keep((w, body) => w.WalkProductId = body.GetProperty("data").GetProperty("id").GetInt64()) },
        Case("GET /creator/{w}/products", w => Get($"{C(w)}/products", w.CreatorToken), Envelope, "meta.total", $"data[].{{{ProductFields}}}"),
        Case("GET /creator/{w}/pricing", w => Get($"{C(w)}/pricing"), "creator_wallet", $"prices.{{{PriceFields}}}", "effective_from_round",
            $"defaults.{{{PriceFields}}}", "history"),
        // The platform's default price and validity again: a recorded change that alters nothing the later cases pay.
        Case("PATCH /creator/{w}/pricing", w => ContractWorld.Request(HttpMethod.Patch, $"{C(w)}/pricing", w.CreatorToken,
            JsonContent.Create(new { membership_price_algo = 5.0, membership_validity_days = 30 })),
            "creator_wallet", $"prices.{{{PriceFields}}}", "effective_from_round",
            "history[].{effective_from_round,changed_at}", $"history[].prices.{{{PriceFields}}}"),
        // Scheduled payouts: a threshold the walk's tips never reach, so nothing is paid while it runs
        Case("PUT /creator/{w}/payouts/schedule", w => ContractWorld.Request(HttpMethod.Put, $"{C(w)}/payouts/schedule", w.CreatorToken,
            JsonContent.Create(new { mode = "threshold", threshold_algo = 1000 })),
            "creator_wallet", $"schedule.{{{PayoutScheduleFields}}}", "payouts", "total", "changed"),
        Case("GET /creator/{w}/payouts", w => Get($"{C(w)}/payouts?limit=20", w.CreatorToken),
            "creator_wallet", $"schedule.{{{PayoutScheduleFields}}}", "payouts", "total"),
        Case("PATCH /creator/{w}/products/{id}", w => ContractWorld.Request(HttpMethod.Patch, $"{C(w)}/products/{w.WalkProductId}", w.CreatorToken,
            JsonContent.Create(new { active = false })), Envelope, $"data.{{{ProductFields},max_per_order}}"),
        Case("DELETE /creator/{w}/products/{id}", w => ContractWorld.Request(HttpMethod.Delete, $"{C(w)}/products/{w.WalkProductId}", w.CreatorToken),
            Envelope, "data.{id,slug,message}"),
        Case("POST /creator/{w}/discounts", w => Post($"{C(w)}/discounts",
            new { discountType = "PERCENT", value = 10, minShawtyTokens = 1, requiresBauni = false }, w.CreatorToken),
            Envelope, $"data.{{{DiscountFields}}}"),
        Case("GET /creator/{w}/discounts", w => Get($"{C(w)}/discounts", w.CreatorToken), Envelope, "meta.total", $"data[].{{{DiscountFields}}}"),

        // Store
        Case("GET /creator/{w}/store", w => Get($"{C(w)}/store?limit=50&offset=0"), Envelope, PageMeta, $"data[].{{{StoreFields}}}"),
        Case("GET /creator/{w}/store/members-only", w => Get($"{C(w)}/store/members-only?fanWallet={F(w)}", w.FanToken),
            Envelope, "meta.total", $"data[].{{{StoreFields}}}"),
        Case("POST /creator/{w}/store/quote", w => Post($"{C(w)}/store/quote", w.Cart(), w.FanToken),
            Envelope, "subtotal_algo", "discount_algo", "total_algo", "shawty_asset_ids_used", "applied_discount_rule_id",
            "items[].{product_id,slug,name,quantity,unit_price_algo}"),
        Case("POST /creator/{w}/store/order", w => Post($"{C(w)}/store/order", w.Cart(), w.FanToken),
            Envelope, "data.order.{id,status,subtotal_algo,discount_algo,total_algo}", "data.payment.{memo,amount_algo,instructions}"),
        Case("GET /fan/{w}/orders", w => Get($"/fan/{F(w)}/orders?limit=50&offset=0", w.FanToken),
            Envelope, PageMeta, "data[].{id,creator_wallet,status,subtotal_algo,discount_algo,total_algo,tx_id,created_at,paid_at}"),
        Case("POST /fan/{w}/orders/{id}/cancel", w => Post($"/fan/{F(w)}/orders/{w.OrderId}/cancel", null, w.FanToken),
            Envelope, "data.{id,creator_wallet,status,total_algo,paid_algo,refund_due_algo}"),

        // Fan and NFT: read the pending badge, opt in (POST /submit), claim it; mint and give a golden sticker
        Case("GET /fan/{w}/inventory", w => Get($"/fan/{F(w)}/inventory?skip=0&limit=50", w.FanToken),
            Envelope, "meta.{limit,offset,skip,total,hasMore,wallet,totalSoulbound,totalGolden}",
            "data[].{id,assetId,templateId,ownerWallet,stickerType,deliveryStatus,txId,expiresAt,mintedAt,templateName,imageUrl,metadataUrl,category,creatorWallet}",
            "data[].{asset_id,image_url,template_name,sticker_type,creator_wallet,nft_class}"),
        Case("GET /fan/{w}/pending", w => Get($"/fan/{F(w)}/pending", w.FanToken),
            Envelope, "meta.total", "data.wallet", "data.pending[].{id,assetId,stickerType,mintedAt,templateName,imageUrl,creatorWallet,asset_id}"),
        Case("GET /nft/inventory/{w}", w => Get($"/nft/inventory/{F(w)}?skip=0&limit=50"),
            "wallet", "total", "totalCount", "skip", "limit", "hasMore", "totalSoulbound", "totalGolden",
            "nfts[].{id,assetId,templateId,ownerWallet,stickerType,txId,expiresAt,mintedAt,templateName,imageUrl,metadataUrl,category}"),
        Case("GET /nft/{assetId}", w => Get($"/nft/{w.BadgeAssetId}"),
            "id", "assetId", "templateId", "ownerWallet", "stickerType", "txId", "expiresAt", "mintedAt", "templateName", "imageUrl",
            "metadataUrl", "category", "creatorWallet", "asset_id", "sticker_type", "owner_wallet", "minted_at"),
        Case("POST /nft/mint/soulbound", w => Post("/nft/mint/soulbound", new { templateId = w.SoulboundTemplateId, fanWallet = F(w) }, w.AdminToken), MintFields),
        Case("POST /nft/mint/golden", w => Post("/nft/mint/golden", new { templateId = w.GoldenTemplateId, fanWallet = F(w) }, w.AdminToken), MintFields),
        Case("POST /nft/optin", w => Post("/nft/optin", new { assetId = w.BadgeAssetId, fanWallet = F(w) }, w.FanToken),
            "unsignedTxn", "assetId", "fanWallet", "message"),
        CaseAsync("POST /submit", async w =>
        {
            using var optIn = Post("/nft/optin", new { assetId = w.BadgeAssetId, fanWallet = F(w) }, w.FanToken);
            var unsigned = (await HttpAssert.OkAsync(await w.Http.SendAsync(optIn))).GetProperty("unsignedTxn").GetString()!;
            var signed = SignedTransaction.Sign(Transaction.Decode(Convert.FromBase64String(unsigned)), w.Fan.Signer);
            return Post("/submit", new { signed_txn = Convert.ToBase64String(signed.Encode()) });
        }, "txId", "tx_id"),
        Case("POST /fan/{w}/claim/{nftId}", w => Post($"/fan/{F(w)}/claim/{w.BadgeNftId}", null, w.FanToken), "status", "assetId", "txId"),
        // txId is null: a golden sticker changes hands in platform custody, with no transaction.
        Case("POST /nft/transfer", w => Post("/nft/transfer", new { assetId = w.GoldenAssetId, receiverWallet = w.Friend.Address }, w.FanToken),
            "assetId", "receiverWallet", "txId", "message"),
        // The reads after it show the fan's tips: they wait until this sixth tip is applied (see ContractWorld).
        Case("POST /submit-group", w => Post("/submit-group", new { signed_txns = Tipping.TipGroup(w.Fan, w.App, 1_000_000, "walk", w.NextFirstValid()) }),
            "txId", "tx_id") with { Then = (w, _) => w.WaitForPaymentsAsync(6) },
        Case("GET /fan/{w}/stats", w => Get($"/fan/{F(w)}/stats", w.FanToken),
            "wallet", "totalTips", "totalAlgoSpent", "averageTipAlgo", "uniqueCreators", "totalSoulbound", "totalGolden", "totalNfts",
            "total_soulbound", "total_golden", "creatorBreakdown[].{creatorWallet,tipCount,totalAlgo}",
            "recentTips[].{txId,creatorWallet,amountAlgo,memo,detectedAt}"),
        Case("GET /fan/{w}/golden-odds", w => Get($"/fan/{F(w)}/golden-odds?amount_algo=5", w.FanToken),
            "wallet", "tipAmount", "baseProbability", "bonus", "totalProbability", "triggerInterval", "description", "probability"),

        // Notifications: the caller's own (the fan's badge and the creator's tips are asserted in the notification tests)
        Case("GET /notifications", w => Get("/notifications?limit=20&unread_only=false", w.CreatorToken),
            "wallet", "notifications", "unread_count", "next_cursor"),
        Case("POST /notifications/read", w => Post("/notifications/read", new { all = true }, w.CreatorToken), "marked", "unread_count"),

        // Loyalty (public reads), then the Shawty spends and their history
        Case("GET /butki/{w}/loyalty", w => Get($"/butki/{F(w)}/loyalty"), "fan_wallet", "total_creators_supported",
            "creators[].{creator_wallet,tip_count,total_tipped_algo,butki_badges_earned,tips_to_next_badge,last_badge_asset_id}"),
        Case("GET /butki/{w}/loyalty/{creator}", w => Get($"/butki/{F(w)}/loyalty/{w.Creator.Address}"),
            "fan_wallet", "creator_wallet", "tip_count", "total_tipped_algo", "butki_badges_earned", "tips_to_next_badge", "last_badge_asset_id"),
        Case("GET /butki/leaderboard/{creator}", w => Get($"/butki/leaderboard/{w.Creator.Address}?limit=10"), "creator_wallet", "total_fans",
            "leaderboard[].{rank,fan_wallet,butki_badges_earned,tip_count,total_tipped_algo}"),
        Case("GET /bauni/{w}/membership/{creator}", w => Get($"/bauni/{F(w)}/membership/{w.Creator.Address}"),
            "fan_wallet", "creator_wallet", "is_valid", "expires_at", "days_remaining", "cost_algo", "validity_days"),
        Case("GET /bauni/{w}/memberships", w => Get($"/bauni/{F(w)}/memberships?active_only=false"), "fan_wallet", "total",
            "memberships[].{creator_wallet,asset_id,purchased_at,expires_at,is_active,is_expired,days_remaining,amount_paid_algo}"),
        Case("POST /bauni/verify", w => Post("/bauni/verify", new { fan_wallet = F(w), creator_wallet = w.Creator.Address }),
            "is_valid", "fan_wallet", "creator_wallet", "expires_at", "days_remaining", "message"),
        Case("GET /shawty/{w}/tokens", w => Get($"/shawty/{F(w)}/tokens?include_spent=true", w.FanToken), "fan_wallet", "total", "redeemable_count",
            "tokens[].{asset_id,creator_wallet,is_burned,is_locked,is_redeemable,purchased_at,amount_paid_algo,amount_paid_micro}",
            "tokens[].{ledger_holder,in_wallet,ledger_frozen}"),
        Case("GET /shawty/{w}/validate/{assetId}", w => Get($"/shawty/{F(w)}/validate/{w.ShawtyAssetIds[0]}"),
            "fan_wallet", "asset_id", "is_valid", "is_burned", "is_locked", "is_redeemable"),
        Case("POST /shawty/burn", w => Post("/shawty/burn", new { fan_wallet = F(w), asset_id = w.ShawtyAssetIds[0], item_description = "Walk Tee" }, w.FanToken),
            "success", "message", "asset_id", "redemption_type"),
        Case("POST /shawty/lock", w => Post("/shawty/lock", new { fan_wallet = F(w), asset_id = w.ShawtyAssetIds[1], discount_description = "10% off" }, w.FanToken),
            "success", "message", "asset_id", "redemption_type"),
        Case("POST /shawty/transfer", w => Post("/shawty/transfer",
            new { from_wallet = F(w), to_wallet = w.Friend.Address, asset_id = w.ShawtyAssetIds[2] }, w.FanToken),
            "success", "message", "asset_id", "from_wallet", "to_wallet"),
        Case("GET /shawty/{w}/redemptions", w => Get($"/shawty/{F(w)}/redemptions?limit=50"), "fan_wallet", "total",
            "redemptions[].{asset_id,type,description,redeemed_at,shawty_asset_id,redemption_type}"),

        // Leaderboards (public)
        Case("GET /leaderboard/global/top-creators", _ => Get("/leaderboard/global/top-creators?limit=20"), Envelope, "meta.total",
            "data.leaderboard[].{rank,creatorWallet,username,appId,tipCount,totalAlgoReceived,uniqueFans}"),
        Case("GET /leaderboard/{creator}", w => Get($"/leaderboard/{w.Creator.Address}?limit=10"), Envelope,
            "meta.{totalFans,totalAlgoReceived}", "data.{creatorWallet,creatorUsername}",
            "data.leaderboard[].{rank,fanWallet,username,tipCount,totalAlgo,nftCount,totalAlgoTipped}"),

        // On-ramp (simulation mode: Transak keys are not configured in development) and simulated funding
        Case("GET /onramp/config", _ => Get("/onramp/config"),
            "simulationMode", "environment", "platformWallet", "platformFeePercent", "supportedFiat", "supportedCrypto",
            "supportedPaymentMethods", "apiKey", "mockConversionRate"),
        Case("POST /onramp/create-order", w => Post("/onramp/create-order",
            new { fanWallet = F(w), creatorWallet = w.Creator.Address, fiatAmount = 250m, fiatCurrency = "INR" }, w.FanToken),
            "partnerOrderId", "orderId",
            "widgetConfig.{apiKey,environment,fiatCurrency,cryptoCurrencyCode,network,fiatAmount,walletAddress,paymentMethod,partnerOrderId,partnerCustomerId,disableWalletAddressForm,hideMenu,themeColor}"),
        Case("POST /onramp/webhook", _ => Post("/onramp/webhook", new { data = "not-a-jwt" }), ErrorEnvelope)
            with { Status = HttpStatusCode.Forbidden, ErrorCode = "onramp_webhooks_disabled" },
        Case("GET /onramp/order/{partnerOrderId}", w => Get($"/onramp/order/{w.PartnerOrderId}", w.FanToken),
            "partnerOrderId", "status", "fiatAmount", "fiatCurrency", "cryptoAmount", "platformFee", "tipAmount", "tipTxId", "createdAt", "completedAt"),
        Case("GET /onramp/fan/{wallet}/orders", w => Get($"/onramp/fan/{F(w)}/orders", w.FanToken),
            "orders[].{partnerOrderId,status,fiatAmount,fiatCurrency,cryptoAmount,tipAmount,createdAt}"),
        // explorerUrl is null: the simulated ledger's transactions are on no explorer.
        Case("POST /simulate/fund-wallet", w => Post("/simulate/fund-wallet", new { walletAddress = w.Friend.Address, amountAlgo = 1.0 }),
            "status", "txId", "amountAlgo", "wallet", "explorerUrl", "message"),
        Case("GET /simulate/holding/{w}/{assetId}", w => Get($"/simulate/holding/{F(w)}/{w.BadgeAssetId}"),
            "wallet", "asset_id", "asset_exists", "opted_in", "amount", "is_frozen"),

        // Card payments: Stripe keys are not configured in development
        Case("POST /payments/checkout", w => Post("/payments/checkout", new { order_id = w.OrderId }, w.FanToken), ErrorEnvelope)
            with { Status = HttpStatusCode.ServiceUnavailable, ErrorCode = "stripe_disabled" },
        Case("POST /payments/webhook", _ => Post("/payments/webhook", new { id = "evt_walk", type = "checkout.session.completed" }), ErrorEnvelope)
            with { Status = HttpStatusCode.ServiceUnavailable, ErrorCode = "stripe_disabled" },

        // The audit trail, after the walk's creator and admin writes
        Case("GET /admin/audit", w => Get($"/admin/audit?wallet={w.Creator.Address}&limit=50", w.AdminToken), "next_cursor",
            "entries[].{id,at,kind,actor,actor_role,wallet,subject,changes,request_id,client_address}"),

        // Last: the template the walk uploaded for it
        Case("DELETE /creator/{w}/template/{id}", w => ContractWorld.Request(HttpMethod.Delete, $"{C(w)}/template/{w.WalkTemplateId}", w.CreatorToken),
            "message", "templateId"),
    ];

    [Fact]
    public async Task Every_contract_route_answers_with_the_prototype_shape_on_the_dev_server()
    {
        var world = fixture.World;
        var contract = ContractRoutes.Load().Select(r => r.Key).ToHashSet();
        Assert.True(contract.SetEquals(Cases.Select(c => c.Key)), "the walk's cases and CONTRACT.md's routes differ (see Every_contract_route_has_exactly_one_case_in_the_walk)");

        var failures = new List<string>();
        foreach (var route in Cases)
        {
            try
            {
                failures.AddRange((await CallAsync(world, route)).Select(problem => $"{route}: {problem}"));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                failures.Add($"{route}: {e.GetType().Name}: {e.Message}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {Cases.Count} contract routes do not answer as the contract says:\n" + string.Join("\n", failures));
    }

    private static async Task<IReadOnlyList<string>> CallAsync(ContractWorld world, RouteCase route)
    {
        using var request = await route.Request(world);
        var expectedMethod = route.Route.Split(' ')[0];
        Assert.True(request.Method.Method == expectedMethod, $"{route}: the case sends {request.Method}");
        using var response = await world.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var call = $"{request.Method} {request.RequestUri}";
        if (response.StatusCode == HttpStatusCode.MethodNotAllowed)
        {
            return [$"405: the method is not mapped ({call})"];
        }

        JsonElement body;
        try
        {
            body = JsonDocument.Parse(text).RootElement;
        }
        catch (JsonException)
        {
            return [$"{(int)response.StatusCode} with a body that is not JSON ({call}): {Shorten(text)}"];
        }

        if (response.StatusCode != route.Status)
        {
            var unknownRoute = response.StatusCode == HttpStatusCode.NotFound && body.TryGetProperty("error", out var e) && e.GetProperty("message").GetString() == "Not found.";
            return [$"expected {(int)route.Status}, got {(int)response.StatusCode}{(unknownRoute ? " (no such route)" : "")} ({call}): {Shorten(text)}"];
        }

        var problems = Missing(body, route.Fields).Select(m => $"missing {m}").ToList();
        if (route.ErrorCode is { } code)
        {
            if (body.TryGetProperty("success", out var success) && success.ValueKind != JsonValueKind.False)
            {
                problems.Add("success is not false");
            }

            if (body.TryGetProperty("error", out var error) && error.TryGetProperty("code", out var actual) && actual.GetString() != code)
            {
                problems.Add($"error.code is {actual}, expected {code}");
            }
        }
        else if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("success", out var success) && success.ValueKind != JsonValueKind.True)
        {
            problems.Add("success is not true");
        }

        if (problems.Count == 0 && route.Then is { } then)
        {
            await then(world, body);
        }

        return problems;
    }

    /// <summary>The field paths (see <see cref="RouteCase"/>) absent from <paramref name="body"/>; a null value is present.</summary>
    public static IEnumerable<string> Missing(JsonElement body, IEnumerable<string> fields)
    {
        var missing = new List<string>();
        foreach (var field in fields.SelectMany(Expand))
        {
            Require(body, field.Split('.'), 0, "", missing);
        }

        return missing.Distinct();
    }

    private static IEnumerable<string> Expand(string field)
    {
        if (field.StartsWith('{') && field.EndsWith('}'))
        {
            return field[1..^1].Split(',').Select(name => name.Trim());
        }

        var open = field.IndexOf(".{", StringComparison.Ordinal);
        return open < 0 || !field.EndsWith('}')
            ? [field]
            : field[(open + 2)..^1].Split(',').Select(name => $"{field[..open]}.{name.Trim()}");
    }

    private static void Require(JsonElement node, string[] path, int index, string shown, List<string> missing)
    {
        var segment = path[index];
        var isArray = segment.EndsWith("[]", StringComparison.Ordinal);
        var name = isArray ? segment[..^2] : segment;
        var at = shown.Length == 0 ? name : $"{shown}.{name}";
        if (node.ValueKind != JsonValueKind.Object || !node.TryGetProperty(name, out var value))
        {
            missing.Add(string.Join('.', [at, .. path.Skip(index + 1)]));
            return;
        }

        var last = index == path.Length - 1;
        if (isArray)
        {
            if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
            {
                missing.Add($"{at}[] (no items to check)");
                return;
            }

            if (!last)
            {
                foreach (var item in value.EnumerateArray())
                {
                    Require(item, path, index + 1, at + "[]", missing);
                }
            }
        }
        else if (!last)
        {
            Require(value, path, index + 1, at, missing);
        }
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
