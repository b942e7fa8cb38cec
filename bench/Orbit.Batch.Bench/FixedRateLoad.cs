using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Orbit.Batch.Bench;

/// <summary>Open loop: one real-time request every 1/rate seconds, whatever the answers do; latency of each answered one.</summary>
internal static class FixedRateLoad
{
    public sealed record Result(int Sent, int Failed, double P50, double P99, double Max);

    public static async Task<Result> RunAsync(HttpClient http, string model, double rate, TimeSpan duration)
    {
        var random = new Random(3);
        var data = string.Join(',', Enumerable.Range(0, BatchInput.Features).Select(_ => (random.NextDouble() * 4 - 2).ToString("0.###", CultureInfo.InvariantCulture)));
        var body = Encoding.UTF8.GetBytes($"{{\"inputs\":[{{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,{BatchInput.Features}],\"data\":[{data}]}}]}}");
        var latencies = new ConcurrentBag<double>();
        var failed = 0;
        var tasks = new List<Task>();
        var interval = TimeSpan.FromSeconds(1 / rate);
        var start = Stopwatch.GetTimestamp();
        var sent = 0;
        while (Stopwatch.GetElapsedTime(start) < duration)
        {
            var due = start + (long)(sent * interval.TotalSeconds * Stopwatch.Frequency);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            sent++;
            tasks.Add(Task.Run(async () =>
            {
                var begin = Stopwatch.GetTimestamp();
                try
                {
                    using var content = new ByteArrayContent(body);
                    content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                    using var response = await http.PostAsync($"/v2/models/{model}/infer", content);
                    await response.Content.ReadAsByteArrayAsync();
                    if (response.IsSuccessStatusCode)
                    {
                        latencies.Add(Stopwatch.GetElapsedTime(begin).TotalMilliseconds);
                    }
                    else
                    {
                        Interlocked.Increment(ref failed);
                    }
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref failed);
                }
            }));
        }

        await Task.WhenAll(tasks);
        var sorted = latencies.Order().ToArray();
        double At(double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        return new Result(sent, failed, At(0.5), At(0.99), sorted.Length == 0 ? double.NaN : sorted[^1]);
    }
}
