using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using Google.Protobuf;

namespace Orbit.Inference.Bench;

/// <summary>One finished span as the services exported it.</summary>
internal sealed record ExportedSpan(
    string Service, string TraceId, string SpanId, string ParentId, string Name, int Kind, long StartNanos, long EndNanos, IReadOnlyList<(string Name, long Nanos)> Events)
{
    public const int Server = 2, Client = 3, Producer = 4, Consumer = 5;
}

/// <summary>
/// A minimal OTLP/HTTP trace receiver (<c>POST /v1/traces</c>, protobuf): the services' exporters send here while the
/// breakdown runs. Decodes only what the breakdown needs (service name; span ids, name, kind, start, end), straight
/// from the protobuf wire format of <c>opentelemetry/proto/collector/trace/v1</c>; metrics posts are accepted and dropped.
/// </summary>
internal sealed class OtlpSpans : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentBag<ExportedSpan> _spans = [];
    private readonly Task _loop;

    public OtlpSpans(int port)
    {
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public IReadOnlyCollection<ExportedSpan> Spans => _spans;

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (!_listener.IsListening)
            {
                return;
            }

            try
            {
                if (context.Request.Url?.AbsolutePath == "/v1/traces")
                {
                    using var body = new MemoryStream();
                    var input = context.Request.Headers["Content-Encoding"] == "gzip"
                        ? new GZipStream(context.Request.InputStream, CompressionMode.Decompress)
                        : context.Request.InputStream;
                    await input.CopyToAsync(body);
                    ReadExport(body.ToArray());
                }

                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/x-protobuf";
            }
            catch (Exception ex)
            {
                Console.Error.WriteLine($"otlp receiver: {ex.Message}");
                context.Response.StatusCode = 400;
            }
            finally
            {
                context.Response.Close();
            }
        }
    }

    // ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
    private void ReadExport(byte[] bytes)
    {
        foreach (var (field, value) in Fields(bytes))
        {
            if (field == 1)
            {
                ReadResourceSpans(value.ToByteArray());
            }
        }
    }

    // ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; }, ScopeSpans { scope = 1; repeated Span spans = 2; }
    private void ReadResourceSpans(byte[] bytes)
    {
        var service = "?";
        var scopes = new List<byte[]>();
        foreach (var (field, value) in Fields(bytes))
        {
            if (field == 1)
            {
                service = ServiceName(value.ToByteArray()) ?? service;
            }
            else if (field == 2)
            {
                scopes.Add(value.ToByteArray());
            }
        }

        foreach (var scope in scopes)
        {
            foreach (var (field, value) in Fields(scope))
            {
                if (field == 2)
                {
                    _spans.Add(ReadSpan(service, value.ToByteArray()));
                }
            }
        }
    }

    // Resource { repeated KeyValue attributes = 1; }, KeyValue { string key = 1; AnyValue value = 2; }, AnyValue { string string_value = 1; }
    private static string? ServiceName(byte[] resource)
    {
        foreach (var (field, attribute) in Fields(resource))
        {
            if (field != 1)
            {
                continue;
            }

            string? key = null, text = null;
            foreach (var (part, value) in Fields(attribute.ToByteArray()))
            {
                if (part == 1)
                {
                    key = value.ToStringUtf8();
                }
                else if (part == 2)
                {
                    text = Fields(value.ToByteArray()).Where(f => f.Field == 1).Select(f => f.Value.ToStringUtf8()).FirstOrDefault();
                }
            }

            if (key == "service.name")
            {
                return text;
            }
        }

        return null;
    }

    // Span { bytes trace_id = 1; bytes span_id = 2; bytes parent_span_id = 4; string name = 5; SpanKind kind = 6;
    //        fixed64 start_time_unix_nano = 7; fixed64 end_time_unix_nano = 8; repeated Event events = 11; ... }
    // Event { fixed64 time_unix_nano = 1; string name = 2; ... }
    private static ExportedSpan ReadSpan(string service, byte[] bytes)
    {
        string trace = "", id = "", parent = "", name = "";
        int kind = 0;
        long start = 0, end = 0;
        var events = new List<(string, long)>();
        var input = new CodedInputStream(bytes);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: trace = Convert.ToHexStringLower(input.ReadBytes().Span); break;
                case 2: id = Convert.ToHexStringLower(input.ReadBytes().Span); break;
                case 4: parent = Convert.ToHexStringLower(input.ReadBytes().Span); break;
                case 5: name = input.ReadString(); break;
                case 6: kind = input.ReadEnum(); break;
                case 7: start = (long)input.ReadFixed64(); break;
                case 8: end = (long)input.ReadFixed64(); break;
                case 11: events.Add(ReadEvent(input.ReadBytes().ToByteArray())); break;
                default: input.SkipLastField(); break;
            }
        }

        return new ExportedSpan(service, trace, id, parent, name, kind, start, end, events);
    }

    private static (string Name, long Nanos) ReadEvent(byte[] bytes)
    {
        var (name, time) = ("", 0L);
        var input = new CodedInputStream(bytes);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: time = (long)input.ReadFixed64(); break;
                case 2: name = input.ReadString(); break;
                default: input.SkipLastField(); break;
            }
        }

        return (name, time);
    }

    /// <summary>The length-delimited fields of a message (every field these messages hold that we read is one).</summary>
    private static IEnumerable<(int Field, ByteString Value)> Fields(byte[] bytes)
    {
        var input = new CodedInputStream(bytes);
        var fields = new List<(int, ByteString)>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
            {
                fields.Add((WireFormat.GetTagFieldNumber(tag), input.ReadBytes()));
            }
            else
            {
                input.SkipLastField();
            }
        }

        return fields;
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // Stopped while a request was open.
        }
    }
}
