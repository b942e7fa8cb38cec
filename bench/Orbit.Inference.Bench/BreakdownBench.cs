using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Orbit.Inference.Bench;

/// <summary>
/// Where the time of one request goes at concurrency 1. Sends <c>--requests</c> requests one after the other, each
/// with its own sampled W3C trace id, while the services export their spans to this process (<see cref="OtlpSpans"/>).
/// Each request's client times, the gateway's and the worker's spans (ASP.NET Core, MassTransit send / receive), the
/// worker's <c>orbit.queued</c> span event and the answer's <c>queue_ms</c> / <c>compute_ms</c> are cut into hops;
/// prints the median and the mean of each hop (the means add up to the mean total; medians do not add up).
/// </summary>
internal static class BreakdownBench
{
    private sealed record Sent(string TraceId, long StartNanos, long EndNanos, double QueueMs, double ComputeMs);

    public static async Task<int> RunAsync(Func<string, string?> option)
    {
        var platform = new Target("platform", new Uri(option("--platform") ?? throw new ArgumentException("--platform URL is required")), option("--key"));
        var port = int.Parse(option("--otlp-port") ?? throw new ArgumentException("--otlp-port PORT is required"), CultureInfo.InvariantCulture);
        var count = int.Parse(option("--requests") ?? "300", CultureInfo.InvariantCulture);
        var flush = TimeSpan.FromSeconds(double.Parse(option("--flush-s") ?? "8", CultureInfo.InvariantCulture));
        var model = BenchModels.All.Single(m => m.Key == (option("--model") ?? "mlp"));
        var path = $"/v2/models/{model.Name}/infer";
        var body = InferRequest.Body(model);

        using var spans = new OtlpSpans(port);
        using var client = platform.CreateClient(1);
        for (var i = 0; i < 100; i++)
        {
            await SendAsync(client, path, body, traceId: null);
        }

        var sent = new List<Sent>(count);
        for (var i = 0; i < count; i++)
        {
            sent.Add(await SendAsync(client, path, body, Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())));
        }

        Console.Error.WriteLine($"sent {count} requests; waiting {flush.TotalSeconds} s for the services to export their spans");
        await Task.Delay(flush);
        var byTrace = spans.Spans.GroupBy(s => s.TraceId).ToDictionary(g => g.Key, g => g.ToList());
        var example = sent.Select(s => byTrace.GetValueOrDefault(s.TraceId)).FirstOrDefault(s => s is not null);
        if (example is null)
        {
            Console.Error.WriteLine($"no spans of the measured requests arrived ({spans.Spans.Count} spans in all): is Orbit__Telemetry__OtlpEndpoint set to http://127.0.0.1:{port}?");
            return 1;
        }

        PrintTimeline(example);
        var rows = sent.Select(s => Hops(s, byTrace.GetValueOrDefault(s.TraceId))).Where(h => h is not null).Select(h => h!).ToList();
        Console.Error.WriteLine($"{rows.Count} of {count} requests had every span");
        var names = rows[0].Keys.ToList();
        // Means add up to the mean total (the hops tile each request); medians show the typical request.
        Console.WriteLine("| hop | median (ms) | mean (ms) | share of mean total |");
        Console.WriteLine("|---|---:|---:|---:|");
        var total = rows.Average(r => r["total (client)"]);
        foreach (var name in names)
        {
            var mean = rows.Average(r => r[name]);
            var share = name.StartsWith("total", StringComparison.Ordinal) || name.StartsWith("(overlaps)", StringComparison.Ordinal) ? "" : $"{mean / total:P0}";
            Console.WriteLine(FormattableString.Invariant($"| {name} | {Median(rows.Select(r => r[name])):F3} | {mean:F3} | {share} |"));
        }

        return 0;
    }

    private static async Task<Sent> SendAsync(HttpClient client, string path, byte[] body, string? traceId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (traceId is not null)
        {
            request.Headers.Add("traceparent", $"00-{traceId}-{Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())[..16]}-01");
        }

        var start = NowNanos();
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var end = NowNanos();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}: {text}");
        }

        var parameters = JsonDocument.Parse(text).RootElement.GetProperty("parameters");
        return new Sent(traceId ?? "", start, end, parameters.GetProperty("queue_ms").GetDouble(), parameters.GetProperty("compute_ms").GetDouble());
    }

    private static long NowNanos() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100;

    /// <summary>The hops of one request, in milliseconds, or null when a span is missing.</summary>
    private static Dictionary<string, double>? Hops(Sent sent, List<ExportedSpan>? spans)
    {
        if (spans is null)
        {
            return null;
        }

        var http = spans.FirstOrDefault(s => s.Service == "gateway" && s.Kind == ExportedSpan.Server);
        var publish = spans.Where(s => s.Service == "gateway" && s.Kind == ExportedSpan.Producer).MinBy(s => s.StartNanos);
        var receive = spans.Where(s => s.Service == "inference-worker" && s.Kind == ExportedSpan.Consumer && s.Name.EndsWith(" receive", StringComparison.Ordinal)).MinBy(s => s.StartNanos);
        var process = spans.Where(s => s.Service == "inference-worker" && s.Kind == ExportedSpan.Consumer && s.Name.EndsWith(" process", StringComparison.Ordinal)).MinBy(s => s.StartNanos);
        var queued = spans.Where(s => s.Service == "inference-worker").SelectMany(s => s.Events).Where(e => e.Name == "orbit.queued").Select(e => e.Nanos).DefaultIfEmpty().Min();
        var respond = spans.Where(s => s.Service == "inference-worker" && s.Kind == ExportedSpan.Producer && process is not null && s.StartNanos >= process.StartNanos).MinBy(s => s.StartNanos);
        var reply = spans.Where(s => s.Service == "gateway" && s.Kind == ExportedSpan.Consumer && s.Name.EndsWith(" receive", StringComparison.Ordinal)
            && respond is not null && s.StartNanos >= respond.StartNanos).MinBy(s => s.StartNanos);
        if (http is null || publish is null || receive is null || process is null || respond is null || reply is null)
        {
            return null;
        }

        static double Ms(long from, long to) => (to - from) / 1e6;
        // queue_ms runs from the consumer's start (the process span) to the batch's start.
        var batchStart = process.StartNanos + (long)(sent.QueueMs * 1e6);
        var hops = new Dictionary<string, double>
        {
            ["client → gateway (connection, Kestrel, until the request's span starts)"] = Ms(sent.StartNanos, http.StartNanos),
            ["HTTP parse, auth, routing, coalescing lane (gateway)"] = Ms(http.StartNanos, publish.StartNanos),
            // The send span itself ends at the broker's publisher confirm, which the answer does not wait for.
            ["publish and broker → worker (serialize, send, deliver)"] = Ms(publish.StartNanos, receive.StartNanos),
            ["worker: receive, deserialize"] = Ms(receive.StartNanos, process.StartNanos),
        };
        if (queued != 0)
        {
            hops["worker: decode, validate"] = Ms(process.StartNanos, queued);
            hops["worker queue (batcher wait)"] = Ms(queued, batchStart);
        }
        else
        {
            // A worker without the event (older code): decode and batcher wait together.
            hops["worker: decode, validate and batcher wait"] = Ms(process.StartNanos, batchStart);
        }

        hops["compute (ONNX Runtime)"] = sent.ComputeMs;
        hops["worker: outputs, answer"] = Ms(batchStart, respond.StartNanos) - sent.ComputeMs;
        hops["reply: send, broker, gateway receive"] = Ms(respond.StartNanos, reply.StartNanos);
        hops["gateway: answer, write JSON"] = Ms(reply.StartNanos, http.EndNanos);
        hops["gateway → client"] = Ms(http.EndNanos, sent.EndNanos);
        hops["total (client)"] = Ms(sent.StartNanos, sent.EndNanos);
        // Not hops (they overlap the ones above): the request's publish until the broker's confirm, and how long after
        // that confirm the gateway took the reply in.
        hops["(overlaps) gateway publish → broker confirm"] = Ms(publish.StartNanos, publish.EndNanos);
        hops["(overlaps) broker confirm → gateway takes the reply"] = Ms(publish.EndNanos, reply.StartNanos);
        return hops;
    }

    private static void PrintTimeline(List<ExportedSpan> trace)
    {
        var origin = trace.Min(s => s.StartNanos);
        Console.Error.WriteLine("one request's spans (ms from the first span's start):");
        foreach (var span in trace.OrderBy(s => s.StartNanos))
        {
            var events = string.Join(", ", span.Events.Select(e => FormattableString.Invariant($"{e.Name} @{(e.Nanos - origin) / 1e6:F3}")));
            Console.Error.WriteLine(FormattableString.Invariant(
                $"  {span.Service,-17} kind {span.Kind} {(span.StartNanos - origin) / 1e6,8:F3} → {(span.EndNanos - origin) / 1e6,8:F3}  {span.Name} {events}"));
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
