using System.Collections.Concurrent;
using System.Diagnostics;
using FanForge.Grains.Http;
using FanForge.Grains.Onramp;
using FanForge.GrainInterfaces.Errors;
using FanForge.Silo;
using FanForge.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Time.Testing;

namespace FanForge.Tests.Onramp;

/// <summary>
/// Transak's client behind the outside-call pipeline, at the HTTP boundary: a scripted Transak on a loopback socket
/// answers 429 with Retry-After, 503, or nothing at all.
/// </summary>
public sealed class TransakResilienceTests : IAsyncLifetime
{
    private const string OrderPath = "/partners/api/v2/order/T-1";
    private readonly ConcurrentQueue<Func<HttpContext, Task>> script = new();
    private readonly ConcurrentQueue<string> requests = new();
    private readonly List<ServiceProvider> providers = [];
    private LoopbackServer server = null!;

    public async Task InitializeAsync() => server = await LoopbackServer.StartAsync(async context =>
    {
        requests.Enqueue($"{context.Request.Method} {context.Request.Path}");
        await (script.TryDequeue(out var answer) ? answer(context) : Answer(context, 200, """{"data":{"id":"T-1","status":"COMPLETED"}}"""));
    });

    public async Task DisposeAsync()
    {
        foreach (var provider in providers)
        {
            await provider.DisposeAsync();
        }

        await server.DisposeAsync();
    }

    [Fact]
    public async Task An_order_read_waits_out_a_429s_Retry_After_then_succeeds()
    {
        script.Enqueue(context =>
        {
            context.Response.Headers.RetryAfter = "1";
            return Answer(context, 429, """{"error":{"statusCode":429,"message":"Too many requests"}}""");
        });
        var started = Stopwatch.GetTimestamp();

        var order = await Client().GetOrderAsync("access-token", "T-1", CancellationToken.None);

        Assert.Equal("COMPLETED", order.GetProperty("status").GetString());
        Assert.Equal([$"GET {OrderPath}", $"GET {OrderPath}"], requests);
        // The back-off alone is about 200 ms; only the header explains a second's wait.
        Assert.True(Stopwatch.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(950), $"retried after {Stopwatch.GetElapsedTime(started)}");
    }

    [Fact]
    public async Task A_POST_is_sent_once_even_when_it_fails_transiently()
    {
        // A refresh issues a new token and revokes the last; a resend after a lost answer would do that twice.
        script.Enqueue(context => Answer(context, 503, """{"error":{"statusCode":503,"message":"Down"}}"""));

        var failure = await Assert.ThrowsAsync<DomainException>(() => Client().RefreshAccessTokenAsync("transak-key", CancellationToken.None));

        Assert.Equal((DomainErrorKind.Upstream, TransakPartnerClient.UnavailableCode), (failure.Kind, failure.Code));
        Assert.Equal(["POST /partners/api/v2/refresh-token"], requests);
    }

    [Fact]
    public async Task A_Transak_that_never_answers_fails_at_the_budget_before_the_grain_call_timeout()
    {
        for (var i = 0; i < 5; i++)
        {
            script.Enqueue(context => Task.Delay(Timeout.Infinite, context.RequestAborted));
        }

        var clock = new FakeTimeProvider();
        var started = clock.GetUtcNow();
        var call = Client(clock).GetOrderAsync("access-token", "T-1", CancellationToken.None);

        Assert.True(await clock.StillRunningAfterAsync(call, started, TransakPartnerClient.Budget.TotalTimeout - TimeSpan.FromMilliseconds(100)));
        clock.Advance(TimeSpan.FromMilliseconds(200));
        var failure = await Assert.ThrowsAsync<DomainException>(() => call.WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal((DomainErrorKind.Upstream, TransakPartnerClient.UnavailableCode), (failure.Kind, failure.Code));
        Assert.True(clock.GetUtcNow() - started < HttpCallBudget.GrainCallTimeout);
        // The first attempt timed out on its own and the read was tried again within the budget.
        Assert.Equal(2, requests.Count);
    }

    private TransakPartnerClient Client(TimeProvider? clock = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Transak:ApiKey"] = "transak-key",
            ["Transak:ApiSecret"] = "transak-secret",
            ["Transak:ReferrerDomain"] = "app.fanforge.test",
            ["Transak:ApiBase"] = server.BaseUrl.ToString(),
            ["Transak:GatewayBase"] = server.BaseUrl.ToString(),
        }).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration);
        services.AddSingleton(clock ?? TimeProvider.System);
        services.AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = Environments.Development });
        var provider = services.AddTransakPartnerClient().BuildServiceProvider();
        providers.Add(provider);
        return provider.GetRequiredService<TransakPartnerClient>();
    }

    private static Task Answer(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(json);
    }
}
