using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FanForge.Grains;
using FanForge.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace FanForge.Tests.Health;

/// <summary>
/// The development host exporting traces as an operator turns them on: <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> at an
/// OTLP/HTTP collector (a fake on loopback) with <c>OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf</c>, and a short batch
/// delay so spans leave within the test.
/// </summary>
public sealed class TracingApiFactory : FanForgeApiFactory, IAsyncLifetime
{
    public FakeOtlpReceiver Receiver { get; private set; } = null!;

    public async Task InitializeAsync() => Receiver = await FakeOtlpReceiver.StartAsync();

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await Receiver.DisposeAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("OTEL_EXPORTER_OTLP_ENDPOINT", Receiver.BaseUrl.ToString().TrimEnd('/'));
        builder.UseSetting("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
        builder.UseSetting("OTEL_BSP_SCHEDULE_DELAY", "200");
        // The tracer listens process-wide, so every other test cluster's grain calls queue here too: a queue of the
        // default 2,048 can overflow while the full suite runs and drop this test's spans.
        builder.UseSetting("OTEL_BSP_MAX_QUEUE_SIZE", "100000");
    }

    /// <summary>What the collector has received once everything ended so far was exported.</summary>
    public IReadOnlyList<OtlpSpan> FlushedSpans()
    {
        Services.GetRequiredService<TracerProvider>().ForceFlush(5_000);
        return Receiver.Spans;
    }
}

/// <summary>
/// A tip is one story: the <c>/submit-group</c> request's trace, and the trace of its processing (the follower's hand
/// over to the creator's journal, the journal's delivery to the fan–creator loyalty grain, the badge mint), which
/// carries the same <c>algorand.txid</c> and links back to the request.
/// </summary>
public sealed class TracingTests(TracingApiFactory factory) : IClassFixture<TracingApiFactory>
{
    private const string TxId = PaymentTracing.TxId;

    [Fact]
    public async Task A_tip_s_request_and_its_processing_carry_its_txid_and_the_processing_links_to_the_request()
    {
        var (creator, fan) = (new TestWallet(191), new TestWallet(192));
        var app = await factory.RegisterCreatorAsync(creator);

        // Five qualifying tips, each processed before the next, so the fifth earns a Butki badge in its own delivery.
        var txIds = new List<string>();
        for (var i = 1; i <= 5; i++)
        {
            var (status, body) = await factory.SubmitGroupAsync(Tipping.TipGroup(fan, app, 1_000_000, "gm", 57_000_000 + (ulong)i));
            Assert.True(status == HttpStatusCode.OK, body.ToString());
            txIds.Add(body.GetProperty("txId").GetString()!);
            await ClusterHosts.EventuallyAsync(
                () => factory.CreateClient().GetFromJsonAsync<JsonElement>($"/butki/{fan.Address}/loyalty/{creator.Address}"),
                l => l.GetProperty("tip_count").GetInt32() == i, TimeSpan.FromSeconds(10), $"tip {i} to be counted");
        }

        var tip = txIds[^1];
        var spans = await ClusterHosts.EventuallyAsync(
            () => Task.FromResult(factory.FlushedSpans()),
            // Other hosts in this test process may trace too (a tracer listens process-wide): only this tip's trace counts.
            s => s.FirstOrDefault(x => x.Name == "payments.append" && x.Carries(TxId, tip)) is { } append
                && s.Any(x => x.Name == "nft.mint" && x.TraceId == append.TraceId)
                && s.Any(x => x.Name == "payments.deliver" && x.Carries(TxId, tip)),
            TimeSpan.FromSeconds(20), "the fifth tip's delivery and badge mint to be exported");
        string Dump() => string.Join('\n', spans.Where(s => s.Attributes.ContainsKey(TxId)).Select(s => $"{s.Name} {s.TraceId}/{s.SpanId} <- {s.ParentSpanId}"));

        // The HTTP request's own server span says which transaction it submitted.
        var request = Assert.Single(spans, s => s.Kind == OtlpSpan.ServerKind && s.Carries(TxId, tip));
        Assert.Equal("/submit-group", request.Attribute("http.route"));
        // The submission grain's span is in the request's trace: the context crossed the grain call.
        var submit = Assert.Single(spans, s => s.Name == "algorand.submit" && s.Carries(TxId, tip));
        Assert.Equal((request.TraceId, PaymentTracing.SourceName), (submit.TraceId, submit.Scope));
        Assert.Contains(spans, s => s.TraceId == request.TraceId && s.Scope == "Microsoft.Orleans.Application" && s.Name.Contains("ISubmission", StringComparison.Ordinal));

        // The follower's hand-over starts the processing trace, linked to the submitting span.
        var append = Assert.Single(spans, s => s.Name == "payments.append" && s.Carries(TxId, tip));
        Assert.NotEqual(request.TraceId, append.TraceId);
        Assert.Contains((request.TraceId, submit.SpanId), append.Links);
        Assert.Equal(creator.Address, append.Attribute(PaymentTracing.Creator));
        Assert.NotNull(append.Attribute(PaymentTracing.Group));
        Assert.Equal(request.Attribute(PaymentTracing.Group), append.Attribute(PaymentTracing.Group));

        // The journal's delivery (later, on its own timer) continues that trace, and the loyalty grain and the badge
        // mint run inside it.
        var deliver = Assert.Single(spans, s => s.Name == "payments.deliver" && s.Carries(TxId, tip));
        Assert.True(deliver.TraceId == append.TraceId, Dump());
        Assert.Equal("tip", deliver.Attribute(PaymentTracing.Kind));
        Assert.Contains(spans, s => s.TraceId == append.TraceId && s.ParentSpanId == deliver.SpanId && s.Name.Contains("IFanLoyalty", StringComparison.Ordinal));
        var mint = Assert.Single(spans, s => s.Name == "nft.mint" && s.TraceId == append.TraceId);
        Assert.Equal("Butki", mint.Attribute("fanforge.nft.kind"));
        Assert.NotNull(mint.Attribute(TxId)); // the badge's own creation transaction

        // Every earlier tip has its own processing trace, linked to its own request.
        foreach (var earlier in txIds[..^1])
        {
            var earlierRequest = Assert.Single(spans, s => s.Kind == OtlpSpan.ServerKind && s.Carries(TxId, earlier));
            Assert.Contains(spans, s => s.Name == "payments.append" && s.Carries(TxId, earlier) && s.Links.Any(l => l.TraceId == earlierRequest.TraceId));
        }

        Assert.Equal(0, factory.Receiver.Refused);
    }

    [Fact]
    public void With_an_otlp_endpoint_a_tracer_and_orleans_trace_propagation_are_registered()
    {
        Assert.NotNull(factory.Services.GetService<TracerProvider>());
        Assert.Contains(factory.Services.GetServices<IOutgoingGrainCallFilter>(), f => f.GetType().Name.StartsWith("ActivityPropagation", StringComparison.Ordinal));
        Assert.Contains(factory.Services.GetServices<IIncomingGrainCallFilter>(), f => f.GetType().Name.StartsWith("ActivityPropagation", StringComparison.Ordinal));
    }
}

/// <summary>Without <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> nothing of tracing is there: no tracer, no exporter, no propagation.</summary>
public sealed class TracingOffTests(FanForgeApiFactory factory) : IClassFixture<FanForgeApiFactory>
{
    [Fact]
    public void Without_an_otlp_endpoint_no_tracer_exporter_or_grain_call_propagation_is_registered()
    {
        Assert.Null(factory.Services.GetService<TracerProvider>());
        Assert.DoesNotContain(factory.Services.GetServices<IOutgoingGrainCallFilter>(), f => f.GetType().Name.StartsWith("ActivityPropagation", StringComparison.Ordinal));
        Assert.DoesNotContain(factory.Services.GetServices<IIncomingGrainCallFilter>(), f => f.GetType().Name.StartsWith("ActivityPropagation", StringComparison.Ordinal));
        Assert.NotNull(factory.Services.GetService<MeterProvider>()); // metrics do not depend on it
    }
}
