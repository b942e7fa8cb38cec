using System.Globalization;

namespace Orbit.Inference.Bench;

/// <summary>
/// The asynchronous tier on the MLP, in one run: (1) throughput at concurrency N of the synchronous
/// OIP path and of asynchronous predictions (submit, then the result event), with their ratio;
/// (2) real-time latency at a small concurrency alone, then while the asynchronous loops keep the
/// model's asynchronous queue full, with the p99 ratio: what the separate <c>.async</c> queue buys.
/// </summary>
internal static class AsyncBench
{
    private const int RealTimeConcurrency = 4;

    public static async Task<int> RunAsync(Func<string, string?> option)
    {
        var platform = new Target("platform", new Uri(option("--platform") ?? throw new ArgumentException("--platform URL is required")), option("--key"));
        var amqp = option("--amqp") ?? "amqp://guest:guest@127.0.0.1:5672/%2F";
        var concurrency = int.Parse(option("--concurrency") ?? "64", CultureInfo.InvariantCulture);
        var duration = TimeSpan.FromSeconds(double.Parse(option("--duration") ?? "10", CultureInfo.InvariantCulture));
        var warmUp = TimeSpan.FromSeconds(double.Parse(option("--warmup") ?? "3", CultureInfo.InvariantCulture));
        var model = BenchModels.All.Single(m => m.Key == "mlp");
        var path = $"/v2/models/{model.Name}/infer";
        var body = InferRequest.Body(model);
        await using var load = await AsyncLoad.StartAsync(amqp);

        var sync = await LoadGenerator.RunAsync(platform, path, body, concurrency, warmUp, duration);
        Report($"sync  c={concurrency}", sync);
        var asynchronous = await load.RunAsync(platform, model.Name, body, concurrency, warmUp, duration);
        Report($"async c={concurrency}", asynchronous);

        var alone = await LoadGenerator.RunAsync(platform, path, body, RealTimeConcurrency, warmUp, duration);
        Report($"real-time c={RealTimeConcurrency} alone", alone);
        var (beside, floodResult) = await BesideAsync(load, platform, model.Name, path, body, concurrency, warmUp, duration, priority: 5);
        Report($"real-time c={RealTimeConcurrency} beside async c={concurrency} on the .async queue", beside);
        Report("  (the async loops meanwhile)", floodResult);
        // The alternative design, in the same run: predictions at priority 9 (the bench's tenant is allowed it) share the real-time queue.
        var (shared, sharedFlood) = await BesideAsync(load, platform, model.Name, path, body, concurrency, warmUp, duration, priority: 9);
        Report($"real-time c={RealTimeConcurrency} beside async c={concurrency} on the real-time queue", shared);
        Report("  (the async loops meanwhile)", sharedFlood);

        Console.WriteLine(FormattableString.Invariant($"""

            | {model.Name} | requests/s | p50 ms | p99 ms |
            |---|---:|---:|---:|
            | synchronous OIP, concurrency {concurrency} | {sync.RequestsPerSecond:F0} | {sync.P50Milliseconds:F2} | {sync.P99Milliseconds:F2} |
            | asynchronous predictions, concurrency {concurrency} (submit → result event) | {asynchronous.RequestsPerSecond:F0} | {asynchronous.P50Milliseconds:F2} | {asynchronous.P99Milliseconds:F2} |
            | real-time, concurrency {RealTimeConcurrency}, alone | {alone.RequestsPerSecond:F0} | {alone.P50Milliseconds:F2} | {alone.P99Milliseconds:F2} |
            | real-time, concurrency {RealTimeConcurrency}, beside {concurrency} async loops (own .async queue) | {beside.RequestsPerSecond:F0} | {beside.P50Milliseconds:F2} | {beside.P99Milliseconds:F2} |
            | (those async loops) | {floodResult.RequestsPerSecond:F0} | {floodResult.P50Milliseconds:F2} | {floodResult.P99Milliseconds:F2} |
            | real-time, concurrency {RealTimeConcurrency}, beside {concurrency} async loops sharing the real-time queue | {shared.RequestsPerSecond:F0} | {shared.P50Milliseconds:F2} | {shared.P99Milliseconds:F2} |
            | (those async loops) | {sharedFlood.RequestsPerSecond:F0} | {sharedFlood.P50Milliseconds:F2} | {sharedFlood.P99Milliseconds:F2} |

            async / sync throughput: {asynchronous.RequestsPerSecond / sync.RequestsPerSecond:F2}×
            real-time p99 beside async / alone: {beside.P99Milliseconds / alone.P99Milliseconds:F2}× with the .async queue, {shared.P99Milliseconds / alone.P99Milliseconds:F2}× sharing the real-time queue
            """));
        return 0;
    }

    private static async Task<(LoadResult RealTime, LoadResult Async)> BesideAsync(
        AsyncLoad load, Target platform, string model, string path, byte[] body, int concurrency, TimeSpan warmUp, TimeSpan duration, int priority)
    {
        var flood = load.RunAsync(platform, model, body, concurrency, TimeSpan.Zero, warmUp + duration + TimeSpan.FromSeconds(1), priority);
        var realTime = await LoadGenerator.RunAsync(platform, path, body, RealTimeConcurrency, warmUp, duration);
        return (realTime, await flood);
    }

    private static void Report(string what, LoadResult result) => Console.Error.WriteLine(FormattableString.Invariant(
        $"{what}: {result.RequestsPerSecond:F0} req/s, p50 {result.P50Milliseconds:F2} ms, p99 {result.P99Milliseconds:F2} ms {result.FailureSummary}"));
}
