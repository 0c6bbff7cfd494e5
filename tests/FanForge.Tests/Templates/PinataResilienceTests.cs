using System.Diagnostics;
using System.Net;
using FanForge.Api.Ipfs;
using FanForge.Grains.Http;
using FanForge.GrainInterfaces.Errors;
using FanForge.GrainInterfaces.Templates;
using FanForge.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Time.Testing;

namespace FanForge.Tests.Templates;

/// <summary>
/// Pinata's client behind the outside-call pipeline, at the HTTP boundary: the fake Pinata behind a handler that
/// first answers 429 with Retry-After, or a Pinata that never answers.
/// </summary>
public sealed class PinataResilienceTests : IAsyncDisposable
{
    private readonly List<ServiceProvider> providers = [];

    [Fact]
    public async Task A_pin_waits_out_a_429s_Retry_After_then_succeeds()
    {
        var pinata = new FakePinata();
        var handler = new Scripted(pinata) { First = () => new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Headers = { { "Retry-After", "1" } } } };
        var started = Stopwatch.GetTimestamp();

        var cid = await Pinning(handler).PinFileAsync("comet.png", "png-bytes"u8.ToArray(), "image/png", CancellationToken.None);

        Assert.StartsWith("bafybei", cid, StringComparison.Ordinal);
        Assert.Equal(2, handler.Requests);
        Assert.Single(pinata.Pins);
        // The back-off alone is about 200 ms; only the header explains a second's wait.
        Assert.True(Stopwatch.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(950), $"retried after {Stopwatch.GetElapsedTime(started)}");
    }

    [Fact]
    public async Task A_refused_pin_is_not_retried()
    {
        var pinata = new FakePinata { FailWith = HttpStatusCode.Unauthorized };
        var handler = new Scripted(pinata);

        var failure = await Assert.ThrowsAsync<DomainException>(() => Pinning(handler).PinFileAsync("comet.png", "png"u8.ToArray(), "image/png", CancellationToken.None));

        Assert.Equal((DomainErrorKind.Upstream, TemplateErrors.IpfsUnavailable), (failure.Kind, failure.Code));
        Assert.Equal(1, handler.Requests);
    }

    [Fact]
    public async Task A_Pinata_that_never_answers_fails_at_the_budget_before_the_grain_call_timeout()
    {
        var handler = new Scripted(new FakePinata()) { Hang = true };
        var clock = new FakeTimeProvider();
        var started = clock.GetUtcNow();
        var budget = TimeSpan.FromSeconds(new IpfsSettings().TimeoutSeconds);
        var call = Pinning(handler, clock).PinFileAsync("comet.png", "png"u8.ToArray(), "image/png", CancellationToken.None);

        Assert.True(await clock.StillRunningAfterAsync(call, started, budget - TimeSpan.FromMilliseconds(100)));
        clock.Advance(TimeSpan.FromMilliseconds(200));
        var failure = await Assert.ThrowsAsync<DomainException>(() => call.WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal((DomainErrorKind.Upstream, TemplateErrors.IpfsUnavailable), (failure.Kind, failure.Code));
        Assert.True(clock.GetUtcNow() - started < HttpCallBudget.GrainCallTimeout);
        // The first attempt gave up after its 15 s and the pin was sent again within the budget.
        Assert.Equal(2, handler.Requests);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var provider in providers)
        {
            await provider.DisposeAsync();
        }
    }

    private IIpfsPinning Pinning(HttpMessageHandler handler, TimeProvider? clock = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ipfs:Provider"] = "Pinata",
            ["Ipfs:PinataJwt"] = PinataApiFactory.Jwt,
        }).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration);
        services.AddSingleton(clock ?? TimeProvider.System);
        services.AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = Environments.Development });
        services.AddIpfs();
        services.AddHttpClient(PinataPinning.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => handler);
        var provider = services.BuildServiceProvider();
        providers.Add(provider);
        return provider.GetRequiredService<IIpfsPinning>();
    }

    /// <summary>Counts requests; answers the first with <see cref="First"/> if set, hangs if told to, else asks the fake.</summary>
    private sealed class Scripted(FakePinata pinata) : DelegatingHandler(pinata)
    {
        private int requests;

        public Func<HttpResponseMessage>? First { get; init; }

        public bool Hang { get; init; }

        public int Requests => Volatile.Read(ref requests);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var number = Interlocked.Increment(ref requests);
            if (Hang)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            return number == 1 && First is { } first ? first() : await base.SendAsync(request, cancellationToken);
        }
    }
}
