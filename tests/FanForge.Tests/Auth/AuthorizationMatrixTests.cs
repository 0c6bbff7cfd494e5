using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using FanForge.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace FanForge.Tests.Auth;

/// <summary>The API with one configured platform admin wallet, and the Orleans dashboard that only admins see.</summary>
public sealed class AdminApiFactory : FanForgeApiFactory
{
    public static readonly TestWallet Admin = new(201);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Auth:AdminWallets:0", Admin.Address);
        builder.UseSetting("Dashboard:Enabled", "true");
    }
}

/// <summary>
/// Every route of the real API must be listed here with the access it grants; a new route without an entry (or
/// without a policy) fails this test, and every protected route is called as each kind of caller.
/// </summary>
public sealed class AuthorizationMatrixTests(AdminApiFactory factory) : IClassFixture<AdminApiFactory>, IAsyncLifetime
{
    private const string Anonymous = "anonymous";

    /// <summary>"METHOD pattern" → the policy it must declare, or <see cref="Anonymous"/>.</summary>
    private static readonly Dictionary<string, string> Expected = new()
    {
        ["GET /health/"] = Anonymous,
        ["GET /health/live"] = Anonymous,
        ["GET /health/ready"] = Anonymous,
        ["GET /metrics"] = Anonymous,
        ["GET /openapi/v1.json"] = Anonymous,
        ["GET /docs/{documentName?}"] = Anonymous,
        ["GET /docs/scalar.js"] = Anonymous,
        ["GET /docs/scalar.aspnetcore.js"] = Anonymous,
        ["GET /docs/favicon.svg"] = Anonymous,
        ["POST /auth/challenge"] = Anonymous,
        ["POST /auth/verify"] = Anonymous,
        ["POST /auth/refresh"] = Anonymous,
        ["POST /auth/logout"] = Anonymous,
        ["POST /creator/register"] = "authenticated",
        ["POST /creator/{wallet}/discounts"] = "creator",
        ["GET /creator/{wallet}/discounts"] = "creator",
        ["POST /creator/{wallet}/store/quote"] = "authenticated",
        ["POST /creator/{wallet}/store/order"] = "authenticated",
        ["GET /fan/{wallet}/orders"] = "wallet-owner",
        ["POST /fan/{wallet}/orders/{orderId:long}/cancel"] = "wallet-owner",
        ["POST /payments/checkout"] = "authenticated",
        ["POST /payments/webhook"] = Anonymous,
        ["GET /onramp/config"] = Anonymous,
        ["POST /onramp/create-order"] = "authenticated",
        ["POST /onramp/webhook"] = Anonymous,
        ["GET /onramp/order/{partnerOrderId}"] = "authenticated",
        ["GET /onramp/fan/{wallet}/orders"] = "wallet-owner",
        ["GET /bauni/{wallet}/membership/{creatorWallet}"] = Anonymous,
        ["GET /bauni/{wallet}/memberships"] = Anonymous,
        ["POST /bauni/verify"] = Anonymous,
        ["GET /simulate/clock"] = Anonymous,
        ["POST /simulate/fund-wallet"] = Anonymous,
        ["GET /simulate/holding/{wallet}/{assetId:long}"] = Anonymous,
        ["GET /params"] = Anonymous,
        ["POST /creator/{wallet}/pause-contract"] = "creator",
        ["POST /creator/{wallet}/unpause-contract"] = "creator",
        ["POST /creator/{wallet}/upgrade-contract"] = "creator",
        ["GET /contract/info"] = Anonymous,
        ["GET /contract/list"] = Anonymous,
        ["POST /contract/fund"] = "authenticated",
        ["POST /contract/deploy"] = "authenticated",
        ["POST /nft/optin"] = "authenticated",
        ["GET /nft/inventory/{wallet}"] = Anonymous,
        ["GET /nft/{assetId:long}"] = Anonymous,
        ["POST /nft/transfer"] = "authenticated",
        ["GET /fan/{wallet}/inventory"] = "wallet-owner",
        ["POST /fan/{wallet}/claim/{nftId:long}"] = "wallet-owner",
        ["POST /simulate/clock/advance"] = Anonymous,
        ["GET /butki/{wallet}/loyalty"] = Anonymous,
        ["GET /butki/{wallet}/loyalty/{creatorWallet}"] = Anonymous,
        ["GET /butki/leaderboard/{creatorWallet}"] = Anonymous,
        ["GET /leaderboard/global/top-creators"] = Anonymous,
        ["GET /leaderboard/{creatorWallet}"] = Anonymous,
        ["GET /fan/{wallet}/stats"] = "wallet-owner",
        ["GET /fan/{wallet}/golden-odds"] = "wallet-owner",
        ["GET /fan/{wallet}/pending"] = "wallet-owner",
        ["GET /ws"] = Anonymous,
        ["POST /submit"] = Anonymous,
        ["GET /listener/status"] = Anonymous,
        ["POST /listener/resume"] = "admin",
        ["GET /creator/{wallet}/contract"] = Anonymous,
        ["GET /creator/{wallet}/contract/stats"] = "creator",
        ["GET /creator/{wallet}/dashboard"] = "creator",
        ["GET /creator/{wallet}/pricing"] = Anonymous,
        ["PATCH /creator/{wallet}/pricing"] = "creator",
        ["GET /creator/{wallet}/payouts"] = "creator",
        ["PUT /creator/{wallet}/payouts/schedule"] = "creator",
        ["POST /submit-group"] = Anonymous,
        ["GET /shawty/{wallet}/tokens"] = "wallet-owner",
        ["POST /shawty/burn"] = "authenticated",
        ["POST /shawty/lock"] = "authenticated",
        ["POST /shawty/transfer"] = "authenticated",
        ["GET /shawty/{wallet}/validate/{assetId}"] = Anonymous,
        ["GET /shawty/{wallet}/redemptions"] = Anonymous,
        ["POST /creator/{wallet}/products"] = "creator",
        ["GET /creator/{wallet}/products"] = "creator",
        ["PATCH /creator/{wallet}/products/{productId:long}"] = "creator",
        ["DELETE /creator/{wallet}/products/{productId:long}"] = "creator",
        ["GET /creator/{wallet}/store"] = Anonymous,
        ["GET /creator/{wallet}/store/members-only"] = "authenticated",
        ["POST /creator/{wallet}/sticker-template"] = "creator",
        ["GET /creator/{wallet}/templates"] = "creator",
        ["DELETE /creator/{wallet}/template/{templateId:long}"] = "creator",
        ["POST /nft/mint/soulbound"] = "admin",
        ["POST /nft/mint/golden"] = "admin",
        ["GET /ipfs/{cid}"] = Anonymous,
        ["GET /admin/audit"] = "admin",
        ["GET /notifications"] = "authenticated",
        ["POST /notifications/read"] = "authenticated",
        // The Orleans dashboard: its page, assets and data routes are all admin-only.
        ["GET /dashboard/"] = "admin",
        ["GET /dashboard/ClusterStats"] = "admin",
        ["GET /dashboard/DashboardCounters"] = "admin",
        ["GET /dashboard/GrainState"] = "admin",
        ["GET /dashboard/GrainStats/{*grainName}"] = "admin",
        ["GET /dashboard/GrainTypes"] = "admin",
        ["GET /dashboard/HistoricalStats/{*path}"] = "admin",
        ["GET /dashboard/LifecycleStages"] = "admin",
        ["GET /dashboard/Reminders"] = "admin",
        ["GET /dashboard/Reminders/{page:int}"] = "admin",
        ["GET /dashboard/SiloCounters/{*address}"] = "admin",
        ["GET /dashboard/SiloMetadata/{*address}"] = "admin",
        ["GET /dashboard/SiloProperties/{*address}"] = "admin",
        ["GET /dashboard/SiloStats/{*address}"] = "admin",
        ["GET /dashboard/TopGrainMethods"] = "admin",
        ["GET /dashboard/Trace"] = "admin",
        ["GET /dashboard/favicon.ico"] = "admin",
        ["GET /dashboard/fonts/{**path}"] = "admin",
        ["GET /dashboard/img/{**path}"] = "admin",
        ["GET /dashboard/index.css"] = "admin",
        ["GET /dashboard/index.html"] = "admin",
        ["GET /dashboard/index.min.js"] = "admin",
        ["GET /dashboard/version"] = "admin",
    };

    private static readonly TestWallet Fan = new(202);
    private static readonly TestWallet OtherFan = new(203);
    private static readonly TestWallet CreatorWallet = new(204);

    private readonly Dictionary<string, string> tokens = [];

    public async Task InitializeAsync()
    {
        foreach (var wallet in new[] { Fan, OtherFan, CreatorWallet, AdminApiFactory.Admin })
        {
            tokens[wallet.Address] = (await factory.LoginAsync(wallet)).GetProperty("accessToken").GetString()!;
        }

        var creator = factory.CreateClient();
        creator.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens[CreatorWallet.Address]);
        (await creator.PostAsync("/creator/register", JsonContent.Create(new { walletAddress = CreatorWallet.Address }))).EnsureSuccessStatusCode();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private sealed record Route(string Method, string Pattern, string Access)
    {
        public override string ToString() => $"{Method} {Pattern}";
    }

    private List<Route> Routes() =>
    [
        .. factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .SelectMany(endpoint => (endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"])
                .Select(method => new Route(method, endpoint.RoutePattern.RawText!, DeclaredAccess(endpoint)))),
    ];

    private static string DeclaredAccess(Endpoint endpoint)
    {
        if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null)
        {
            return Anonymous;
        }

        var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy ?? "(default)").ToList();
        return policies.Count == 0 ? "(none declared)" : string.Join("+", policies);
    }

    [Fact]
    public void Every_route_declares_exactly_the_access_listed_in_the_matrix()
    {
        var routes = Routes();

        Assert.All(routes, route => Assert.Equal(Expected.GetValueOrDefault(route.ToString(), "(not in the matrix)"), route.Access));
        Assert.Empty(Expected.Keys.Except(routes.Select(r => r.ToString())));
    }

    /// <summary>Callers: who holds the token, and whose wallet the path (or body) names.</summary>
    public enum Caller
    {
        Anonymous,
        Fan,
        OtherFanOnFansWallet,
        Creator,
        CreatorOnFansWallet,
        Admin,
    }

    public static TheoryData<Caller> Callers() => new(Enum.GetValues<Caller>());

    [Theory]
    [MemberData(nameof(Callers))]
    public async Task Every_protected_route_admits_exactly_the_callers_its_policy_allows(Caller caller)
    {
        var (token, pathWallet) = caller switch
        {
            Caller.Anonymous => ((string?)null, Fan),
            Caller.Fan => (tokens[Fan.Address], Fan),
            Caller.OtherFanOnFansWallet => (tokens[OtherFan.Address], Fan),
            Caller.Creator => (tokens[CreatorWallet.Address], CreatorWallet),
            Caller.CreatorOnFansWallet => (tokens[CreatorWallet.Address], Fan),
            Caller.Admin => (tokens[AdminApiFactory.Admin.Address], AdminApiFactory.Admin),
            _ => throw new ArgumentOutOfRangeException(nameof(caller)),
        };
        var protectedRoutes = Routes().Where(r => r.Access != Anonymous).ToList();
        Assert.NotEmpty(protectedRoutes);

        foreach (var route in protectedRoutes)
        {
            using var request = new HttpRequestMessage(new HttpMethod(route.Method), Fill(route.Pattern, pathWallet.Address));
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            // No body: authorization runs before binding, so an admitted caller gets past it (to a 400 for the body).
            // Headers only: the dashboard's trace route streams until the client goes away.
            using var response = await factory.CreateClient().SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            var status = response.StatusCode;
            var expected = Outcome(route.Access, caller);
            var admitted = status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden);
            Assert.True(expected == HttpStatusCode.OK ? admitted : status == expected, $"{route} as {caller}: got {(int)status}, expected {expected}");
        }
    }

    /// <summary>401 for no token, 403 for the wrong caller, OK standing for "admitted" (any status but 401/403).</summary>
    private static HttpStatusCode Outcome(string access, Caller caller) => (access, caller) switch
    {
        (_, Caller.Anonymous) => HttpStatusCode.Unauthorized,
        ("authenticated", _) => HttpStatusCode.OK,
        ("wallet-owner", Caller.Fan or Caller.Creator or Caller.Admin) => HttpStatusCode.OK,
        ("creator", Caller.Creator) => HttpStatusCode.OK,
        ("admin", Caller.Admin) => HttpStatusCode.OK,
        ("wallet-owner" or "creator" or "admin", _) => HttpStatusCode.Forbidden,
        _ => throw new InvalidOperationException($"Access '{access}' has no expectations in the matrix; add them."),
    };

    /// <summary>Route values: the path's own wallet for <c>{wallet}</c>, another valid address for other wallets, 1 for ids.</summary>
    private static string Fill(string pattern, string wallet) =>
        System.Text.RegularExpressions.Regex.Replace(pattern, @"\{([^}:?]+)[^}]*\}", m => m.Groups[1].Value switch
        {
            "wallet" => wallet,
            var name when name.Contains("wallet", StringComparison.OrdinalIgnoreCase) || name.Contains("creator", StringComparison.OrdinalIgnoreCase)
                => OtherFan.Address,
            _ => "1",
        });
}
