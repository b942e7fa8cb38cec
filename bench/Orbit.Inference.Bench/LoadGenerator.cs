using System.Collections.Concurrent;
using System.Diagnostics;

namespace Orbit.Inference.Bench;

/// <summary>
/// Closed loop: N loops each send the same request back to back. Requests that finish during the warm-up are not
/// counted; requests that finish in the measured window are, by latency and count.
/// </summary>
internal static class LoadGenerator
{
    /// <param name="headerLength">For a binary tensor data body: the length of its JSON header (sent as Inference-Header-Content-Length).</param>
    /// <param name="cpu">When given, the CPU seconds each of its processes used during the measured window.</param>
    public static async Task<LoadResult> RunAsync(Target target, string path, byte[] body, int concurrency, TimeSpan warmUp, TimeSpan duration, int? headerLength = null, ProcessCpu? cpu = null)
    {
        using var client = target.CreateClient(concurrency);
        return await RunAsync(() => SendAsync(client, path, body, headerLength), concurrency, warmUp, duration, cpu);
    }

    /// <param name="send">One request: null when it succeeded, else what went wrong (a status, an exception type).</param>
    public static async Task<LoadResult> RunAsync(Func<Task<string?>> send, int concurrency, TimeSpan warmUp, TimeSpan duration, ProcessCpu? cpu = null)
    {
        var failures = new ConcurrentDictionary<string, long>();
        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + (long)(warmUp.TotalSeconds * Stopwatch.Frequency);
        var measureTo = measureFrom + (long)(duration.TotalSeconds * Stopwatch.Frequency);

        var cpuUsed = cpu is null ? null : Task.Run(async () =>
        {
            await Task.Delay(warmUp);
            var before = cpu.Snapshot();
            await Task.Delay(duration);
            return ProcessCpu.Used(before, cpu.Snapshot());
        });

        var loops = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            var latencies = new List<double>(capacity: 4096);
            while (Stopwatch.GetTimestamp() < measureTo)
            {
                var sent = Stopwatch.GetTimestamp();
                var outcome = await send();
                var done = Stopwatch.GetTimestamp();
                if (done < measureFrom || done > measureTo)
                {
                    continue;
                }
                if (outcome is null)
                {
                    latencies.Add(Stopwatch.GetElapsedTime(sent, done).TotalMilliseconds);
                }
                else
                {
                    failures.AddOrUpdate(outcome, 1, (_, n) => n + 1);
                }
            }
            return latencies;
        })).ToArray();

        var all = new List<double>();
        foreach (var loop in await Task.WhenAll(loops))
        {
            all.AddRange(loop);
        }
        return LoadResult.From(all, duration.TotalSeconds, failures) with { Cpu = cpuUsed is null ? null : await cpuUsed };
    }

    /// <summary>Null on 200 (body read to the end); otherwise the status code or exception type.</summary>
    private static async Task<string?> SendAsync(HttpClient client, string path, byte[] body, int? headerLength)
    {
        try
        {
            using var request = InferRequest.Message(path, body, headerLength);
            using var response = await client.SendAsync(request);
            await response.Content.ReadAsByteArrayAsync();
            return response.IsSuccessStatusCode ? null : ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return ex.GetType().Name;
        }
    }
}
