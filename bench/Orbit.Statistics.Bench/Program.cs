using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Orbit.Contracts.Inference;
using Orbit.Inference.Bench;
using Orbit.Statistics.Bench;
using RabbitMQ.Client;

// The worker's inference time with statistics off and on, in one run: three copies of the worker's serving
// services in this process (statistics off; on without prediction logging; on with every request logged, the
// default), driven in turn at the same concurrency, in rounds so that the machine's drift falls on all of them.
//   [--concurrency 64] [--seconds 5] [--warmup 1] [--rounds 3] [--rabbitmq URL]
//   micro: the collector's work per request alone
//   floats [--rounds 5] | floats --exhaustive THREADS: float32 formatting for the prediction log, .NET's against ShortestFloat
if (args is ["micro"])
{
    Micro.Run();
    return 0;
}

if (args is ["floats", ..])
{
    if (Option("--exhaustive") is { } threads)
    {
        return FloatFormatting.Exhaustive(int.Parse(threads, CultureInfo.InvariantCulture));
    }

    FloatFormatting.Run(int.Parse(Option("--rounds") ?? "5", CultureInfo.InvariantCulture));
    return 0;
}

var concurrency = int.Parse(Option("--concurrency") ?? "64", CultureInfo.InvariantCulture);
var seconds = double.Parse(Option("--seconds") ?? "5", CultureInfo.InvariantCulture);
var warmUp = double.Parse(Option("--warmup") ?? "1", CultureInfo.InvariantCulture);
var rounds = int.Parse(Option("--rounds") ?? "3", CultureInfo.InvariantCulture);
var rabbit = Option("--rabbitmq") ?? Environment.GetEnvironmentVariable("ORBIT_RABBITMQ") ?? "amqp://guest:guest@127.0.0.1:5672/";
var suffix = Guid.NewGuid().ToString("N")[..8];
var streams = new[] { $"bench.stats.{suffix}", $"bench.predictions.{suffix}" };
var directory = Directory.CreateTempSubdirectory("orbit-statistics-bench-").FullName;
var model = BenchModels.All.Single(m => m.Key == "mlp").Write();

var modes = new (string Name, Dictionary<string, string?> Settings)[]
{
    ("off", new() { ["Orbit:Worker:Statistics:Enabled"] = "false" }),
    ("on, no prediction log", new() { ["Orbit:Worker:Statistics:PredictionLogSampleRate"] = "0" }),
    ("on, every request logged (default)", new() { ["Orbit:Worker:Statistics:PredictionLogSampleRate"] = "1" }),
};
var harnesses = new List<WorkerHarness>();
try
{
    foreach (var (name, settings) in modes)
    {
        settings["Orbit:RabbitMq:Url"] = rabbit;
        settings["Orbit:Worker:Statistics:StatsStream"] = streams[0];
        settings["Orbit:Worker:Statistics:PredictionsStream"] = streams[1];
        harnesses.Add(await WorkerHarness.StartAsync(name.Split(',')[0], model, Path.Combine(directory, harnesses.Count.ToString(CultureInfo.InvariantCulture)), settings));
    }

    // Requests drawn like the baseline (standard normal features), one row each, as the platform bench sends.
    var random = new Random(1);
    var requests = Enumerable.Range(0, 4096).Select(_ =>
    {
        var x = Enumerable.Range(0, 32).Select(_ => (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()))).ToArray();
        return new InferenceTensor("x", "FP32", [1, 32], RawData: MemoryMarshal.AsBytes(x.AsSpan()).ToArray());
    }).ToArray();

    // Requests the statistics left out (queue full) while a mode ran: the work it did not do.
    long skipped = 0;
    using var listener = new System.Diagnostics.Metrics.MeterListener();
    listener.InstrumentPublished = (instrument, l) =>
    {
        if (instrument.Name == "orbit.statistics.requests.skipped")
        {
            l.EnableMeasurementEvents(instrument);
        }
    };
    listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref skipped, value));
    listener.Start();

    var results = modes.Select(_ => new List<(double PerSecond, double MeanMs, double P50, double P99, double CpuMicroseconds, long Skipped)>()).ToArray();
    for (var round = 1; round <= rounds; round++)
    {
        for (var m = 0; m < modes.Length; m++)
        {
            await RunAsync(harnesses[m], requests, concurrency, TimeSpan.FromSeconds(warmUp));
            var skippedBefore = Interlocked.Read(ref skipped);
            var run = await RunAsync(harnesses[m], requests, concurrency, TimeSpan.FromSeconds(seconds));
            // Let the collector finish what was queued in the window, so its CPU is counted with the run.
            await Task.Delay(200);
            var result = (run.PerSecond, run.MeanMs, run.P50, run.P99, run.CpuMicroseconds, Interlocked.Read(ref skipped) - skippedBefore);
            results[m].Add(result);
            Console.Error.WriteLine(FormattableString.Invariant(
                $"round {round} {modes[m].Name}: {result.PerSecond:F0} req/s, mean {result.MeanMs:F3} ms, p50 {result.P50:F3} ms, p99 {result.P99:F3} ms, CPU {result.CpuMicroseconds:F1} µs/request, skipped {result.Item6}"));
        }
    }

    Console.WriteLine(FormattableString.Invariant($"Worker inference time, bench-mlp x[1,32], concurrency {concurrency}, {rounds} rounds of {seconds:0.#} s per mode (medians of the rounds):"));
    Console.WriteLine();
    Console.WriteLine("| statistics | req/s | mean ms | p50 ms | p99 ms | mean time / off | CPU µs per request | CPU / off | requests left out |");
    Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    var offMean = Median(results[0].Select(r => r.MeanMs));
    var offCpu = Median(results[0].Select(r => r.CpuMicroseconds));
    for (var m = 0; m < modes.Length; m++)
    {
        var mean = Median(results[m].Select(r => r.MeanMs));
        var cpu = Median(results[m].Select(r => r.CpuMicroseconds));
        Console.WriteLine(FormattableString.Invariant(
            $"| {modes[m].Name} | {Median(results[m].Select(r => r.PerSecond)):F0} | {mean:F3} | {Median(results[m].Select(r => r.P50)):F3} | {Median(results[m].Select(r => r.P99)):F3} | {mean / offMean:F3} | {cpu:F1} | {cpu / offCpu:F3} | {results[m].Sum(r => r.Skipped)} |"));
    }
}
finally
{
    foreach (var harness in harnesses)
    {
        await harness.DisposeAsync();
    }

    await using (var connection = await new ConnectionFactory { Uri = new Uri(rabbit) }.CreateConnectionAsync())
    await using (var channel = await connection.CreateChannelAsync())
    {
        foreach (var stream in streams)
        {
            await channel.QueueDeleteAsync(stream);
        }
    }

    Directory.Delete(directory, recursive: true);
}

return 0;

// A closed loop: `concurrency` callers each send the next request as soon as the last is answered.
static async Task<(double PerSecond, double MeanMs, double P50, double P99, double CpuMicroseconds)> RunAsync(WorkerHarness worker, InferenceTensor[] inputs, int concurrency, TimeSpan duration)
{
    var latencies = new List<double>[concurrency];
    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
    var next = -1;
    var callers = Enumerable.Range(0, concurrency).Select(c => Task.Run(async () =>
    {
        var mine = latencies[c] = new List<double>(100_000);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var input = inputs[(Interlocked.Increment(ref next) & int.MaxValue) % inputs.Length];
            var request = new InferenceRequested(Guid.NewGuid().ToString("N"), "bench", "bench-mlp", 1, [input], DateTimeOffset.MaxValue);
            var start = Stopwatch.GetTimestamp();
            var (completed, rejected) = await worker.AnswerAsync(request);
            if (completed is null)
            {
                throw new InvalidOperationException($"the worker refused a bench request: {rejected!.Reason} {rejected.Detail}");
            }

            mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
    })).ToArray();
    await Task.WhenAll(callers);
    var all = latencies.SelectMany(l => l).Order().ToList();
    // The process's CPU per answered request: what serving (and summarising) one costs, whoever else uses the machine.
    var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMicroseconds / all.Count;
    return (all.Count / duration.TotalSeconds, all.Average(), Percentile(all, 0.50), Percentile(all, 0.99), cpu);
}

static double Percentile(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
