using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace FanForge.Tests.Infrastructure;

/// <summary>A span as an OTLP collector receives it (ids in lowercase hex; every attribute value as text, arrays flattened).</summary>
public sealed record OtlpSpan(
    string TraceId,
    string SpanId,
    string ParentSpanId,
    string Name,
    int Kind,
    string Scope,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Attributes,
    IReadOnlyList<(string TraceId, string SpanId)> Links)
{
    /// <summary>OTLP's <c>SPAN_KIND_SERVER</c>.</summary>
    public const int ServerKind = 2;

    public bool Carries(string key, string value) => Attributes.TryGetValue(key, out var values) && values.Contains(value);

    public string? Attribute(string key) => Attributes.TryGetValue(key, out var values) ? values[0] : null;
}

/// <summary>
/// An OTLP/HTTP trace receiver on a free loopback port: accepts <c>POST /v1/traces</c> with an
/// <c>ExportTraceServiceRequest</c> in protobuf, as the OpenTelemetry exporter sends it, and decodes the spans with a
/// small protobuf wire reader (field numbers from opentelemetry-proto's trace.proto and common.proto).
/// </summary>
public sealed class FakeOtlpReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<OtlpSpan> spans = new();
    private LoopbackServer server = null!;

    public Uri BaseUrl => server.BaseUrl;

    private int refused;

    /// <summary>Requests that were not a protobuf POST to /v1/traces (the exporter should send none).</summary>
    public int Refused => Volatile.Read(ref refused);

    public IReadOnlyList<OtlpSpan> Spans => [.. spans];

    public static async Task<FakeOtlpReceiver> StartAsync()
    {
        var receiver = new FakeOtlpReceiver();
        receiver.server = await LoopbackServer.StartAsync(receiver.ServeAsync);
        return receiver;
    }

    private async Task ServeAsync(HttpContext context)
    {
        if (context.Request.Method != HttpMethods.Post || context.Request.Path != "/v1/traces" || context.Request.ContentType != "application/x-protobuf")
        {
            Interlocked.Increment(ref refused);
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        foreach (var span in Decode(body.ToArray()))
        {
            spans.Enqueue(span);
        }

        // An empty ExportTraceServiceResponse: full success.
        context.Response.ContentType = "application/x-protobuf";
    }

    public ValueTask DisposeAsync() => server.DisposeAsync();

    /// <summary>ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }</summary>
    public static IEnumerable<OtlpSpan> Decode(byte[] request)
    {
        foreach (var resourceSpans in Fields(request).Where(f => f.Number == 1))
        {
            // ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; }
            foreach (var scopeSpans in Fields(resourceSpans.Bytes).Where(f => f.Number == 2))
            {
                // ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; }; InstrumentationScope { string name = 1; }
                var scopeFields = Fields(scopeSpans.Bytes).ToList();
                var scope = scopeFields.Where(f => f.Number == 1).Select(f => Text(Fields(f.Bytes).FirstOrDefault(s => s.Number == 1).Bytes)).FirstOrDefault() ?? "";
                foreach (var span in scopeFields.Where(f => f.Number == 2))
                {
                    yield return DecodeSpan(span.Bytes, scope);
                }
            }
        }
    }

    /// <summary>
    /// Span { bytes trace_id = 1; bytes span_id = 2; bytes parent_span_id = 4; string name = 5; SpanKind kind = 6;
    /// repeated KeyValue attributes = 9; repeated Link links = 13; }; Link { bytes trace_id = 1; bytes span_id = 2; }
    /// </summary>
    private static OtlpSpan DecodeSpan(byte[] span, string scope)
    {
        var (traceId, spanId, parent, name, kind) = ("", "", "", "", 0);
        var attributes = new Dictionary<string, IReadOnlyList<string>>();
        var links = new List<(string, string)>();
        foreach (var field in Fields(span))
        {
            switch (field.Number)
            {
                case 1: traceId = Convert.ToHexStringLower(field.Bytes); break;
                case 2: spanId = Convert.ToHexStringLower(field.Bytes); break;
                case 4: parent = Convert.ToHexStringLower(field.Bytes); break;
                case 5: name = Text(field.Bytes); break;
                case 6: kind = (int)field.Varint; break;
                case 9:
                    var (key, values) = KeyValue(field.Bytes);
                    attributes[key] = values;
                    break;
                case 13:
                    var link = Fields(field.Bytes).ToList();
                    links.Add((Convert.ToHexStringLower(link.First(f => f.Number == 1).Bytes), Convert.ToHexStringLower(link.First(f => f.Number == 2).Bytes)));
                    break;
            }
        }

        return new OtlpSpan(traceId, spanId, parent, name, kind, scope, attributes, links);
    }

    /// <summary>KeyValue { string key = 1; AnyValue value = 2; }</summary>
    private static (string Key, IReadOnlyList<string> Values) KeyValue(byte[] keyValue)
    {
        var fields = Fields(keyValue).ToList();
        var key = Text(fields.First(f => f.Number == 1).Bytes);
        var value = fields.FirstOrDefault(f => f.Number == 2).Bytes ?? [];
        return (key, AnyValue(value));
    }

    /// <summary>AnyValue { string_value = 1; bool_value = 2; int_value = 3; double_value = 4; ArrayValue array_value = 5; }; ArrayValue { repeated AnyValue values = 1; }</summary>
    private static List<string> AnyValue(byte[] value)
    {
        var result = new List<string>();
        foreach (var field in Fields(value))
        {
            switch (field.Number)
            {
                case 1: result.Add(Text(field.Bytes)); break;
                case 2: result.Add(field.Varint != 0 ? "true" : "false"); break;
                case 3: result.Add(((long)field.Varint).ToString(System.Globalization.CultureInfo.InvariantCulture)); break;
                case 4: result.Add(BitConverter.Int64BitsToDouble((long)field.Varint).ToString(System.Globalization.CultureInfo.InvariantCulture)); break;
                case 5: result.AddRange(Fields(field.Bytes).Where(f => f.Number == 1).SelectMany(f => AnyValue(f.Bytes))); break;
            }
        }

        return result;
    }

    private static string Text(byte[]? bytes) => bytes is null ? "" : Encoding.UTF8.GetString(bytes);

    private readonly record struct Field(int Number, ulong Varint, byte[] Bytes);

    /// <summary>The fields of one protobuf message: varint, 64-bit, length-delimited and 32-bit wire types.</summary>
    private static IEnumerable<Field> Fields(byte[] message)
    {
        var position = 0;
        while (position < message.Length)
        {
            var tag = ReadVarint(message, ref position);
            var number = (int)(tag >> 3);
            switch ((int)(tag & 7))
            {
                case 0:
                    yield return new Field(number, ReadVarint(message, ref position), []);
                    break;
                case 1:
                    yield return new Field(number, BitConverter.ToUInt64(message, position), []);
                    position += 8;
                    break;
                case 2:
                    var length = (int)ReadVarint(message, ref position);
                    yield return new Field(number, 0, message[position..(position + length)]);
                    position += length;
                    break;
                case 5:
                    yield return new Field(number, BitConverter.ToUInt32(message, position), []);
                    position += 4;
                    break;
                default:
                    throw new InvalidDataException($"Unsupported protobuf wire type {tag & 7} at byte {position}.");
            }
        }
    }

    private static ulong ReadVarint(byte[] message, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = message[position++];
            value |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
    }
}
