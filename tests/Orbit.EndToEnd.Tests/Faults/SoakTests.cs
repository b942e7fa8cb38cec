using System.Diagnostics;
using System.Globalization;
using System.Net;
using Orbit.EndToEnd.Tests.Inference;
using Xunit.Abstractions;

namespace Orbit.EndToEnd.Tests.Faults;

/// <summary>
/// The soak (<c>./orbit test --long</c>): the platform's capacity is measured first (16 closed-loop
/// clients, 10 s), then requests arrive at 70% of it, paced, for <c>ORBIT_SOAK_MINUTES</c> (10). After
/// half the time and at the end it samples each service's resident memory and its <c>/metrics</c>:
/// every request answered correctly, memory flat within 10%, no new metric series.
/// </summary>
[Trait("Category", "Long")]
public sealed class SoakTests : IClassFixture<InferencePlatform>
{
    private readonly InferencePlatform _platform;
    private readonly ITestOutputHelper _output;

    public SoakTests(InferencePlatform platform, ITestOutputHelper output)
    {
        _platform = platform;
        _output = output;
        _platform.Platform.Output = output;
    }

    [Fact]
    public async Task Ten_minutes_at_70_percent_of_capacity_answer_everything_with_flat_memory_and_metrics()
    {
        var minutes = double.Parse(Environment.GetEnvironmentVariable("ORBIT_SOAK_MINUTES") ?? "10", CultureInfo.InvariantCulture);
        var model = await _platform.DeployAsync([41], "--stable 1");
        var path = Path.Combine(_platform.Models, "mlp-41.onnx");
        using var client = new OipClient(_platform.Platform.Gateway, _platform.Platform.AdminKey);
        var rows = Enumerable.Range(0, 64).Select(i => Mlp.RandomRow(new Random(i))).ToArray();
        var expected = rows.Select(r => Mlp.RunDirect(path, r)).ToArray();

        var capacity = await CapacityAsync(client, model, rows);
        // The first scrape makes the /metrics route's own duration series; taken now, they are not new at the end.
        await SampleAsync();
        var rate = capacity * 0.7;
        var answered = 0;
        var failures = new List<string>();
        var inFlight = new SemaphoreSlim(256);
        var clock = Stopwatch.StartNew();
        var end = TimeSpan.FromMinutes(minutes);
        Dictionary<string, Sample>? warm = null;
        var sent = 0L;
        var pending = new List<Task>();
        while (clock.Elapsed < end)
        {
            // Warm by half-time: series that appear once (the first gen-2 collection, a route's first answer) have appeared.
            if (warm is null && clock.Elapsed > TimeSpan.FromMinutes(minutes / 2))
            {
                warm = await SampleAsync();
            }

            // Paced, not closed-loop: the n-th request leaves at n / rate seconds.
            var wait = TimeSpan.FromSeconds(sent / rate) - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            await inFlight.WaitAsync();
            var i = (int)(sent++ % rows.Length);
            pending.Add(Task.Run(async () =>
            {
                try
                {
                    var answer = await client.InferAsync(model, rows[i]);
                    if (answer.Status == HttpStatusCode.OK && answer.Output.SequenceEqual(expected[i]))
                    {
                        Interlocked.Increment(ref answered);
                    }
                    else
                    {
                        lock (failures) { failures.Add($"{(int)answer.Status} {answer.Body[..Math.Min(200, answer.Body.Length)]}"); }
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    lock (failures) { failures.Add(ex.GetType().Name); }
                }
                finally
                {
                    inFlight.Release();
                }
            }));
            if (pending.Count > 4096)
            {
                pending.RemoveAll(t => t.IsCompleted);
            }
        }

        await Task.WhenAll(pending);
        var last = await SampleAsync();
        _output.WriteLine(FormattableString.Invariant($"capacity {capacity:F0} req/s; soak {minutes} min at {rate:F0} req/s: {sent} sent, {answered} answered correctly, {failures.Count} failed"));
        Console.WriteLine(FormattableString.Invariant($"soak: capacity {capacity:F0} req/s; {minutes} min at {rate:F0} req/s: {sent} sent, {answered} correct, {failures.Count} failed"));
        foreach (var (service, first) in warm!)
        {
            var final = last[service];
            var line = FormattableString.Invariant(
                $"soak: {service}: memory {first.RssMegabytes:F0} -> {final.RssMegabytes:F0} MB ({final.RssMegabytes / first.RssMegabytes:F2}x); /metrics {first.Series} -> {final.Series} series, {first.MetricsBytes} -> {final.MetricsBytes} bytes");
            _output.WriteLine(line);
            Console.WriteLine(line);
            foreach (var added in final.SeriesNames.Except(first.SeriesNames).Take(10))
            {
                Console.WriteLine($"soak: {service}: new series {added}");
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures.Take(20)));
        Assert.All(warm, pair => Assert.True(last[pair.Key].RssMegabytes <= pair.Value.RssMegabytes * 1.10,
            $"{pair.Key}: memory grew from {pair.Value.RssMegabytes:F0} to {last[pair.Key].RssMegabytes:F0} MB"));
        Assert.All(warm, pair => Assert.True(last[pair.Key].Series <= pair.Value.Series,
            $"{pair.Key}: /metrics grew from {pair.Value.Series} to {last[pair.Key].Series} series"));
    }

    private static async Task<double> CapacityAsync(OipClient client, string model, float[][] rows)
    {
        var clock = Stopwatch.StartNew();
        var answered = 0;
        await Task.WhenAll(Enumerable.Range(0, 16).Select(async loop =>
        {
            var n = loop;
            while (clock.Elapsed < TimeSpan.FromSeconds(10))
            {
                if ((await client.InferAsync(model, rows[n++ % rows.Length])).Status == HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref answered);
                }
            }
        }));
        return answered / clock.Elapsed.TotalSeconds;
    }

    private sealed record Sample(double RssMegabytes, HashSet<string> SeriesNames, int MetricsBytes)
    {
        public int Series => SeriesNames.Count;
    }

    /// <summary>Each service's resident memory (from /proc) and its /metrics: series (lines that are not comments) and bytes.</summary>
    private async Task<Dictionary<string, Sample>> SampleAsync()
    {
        var samples = new Dictionary<string, Sample>();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var ports = new Dictionary<string, int>
        {
            ["gateway"] = _platform.Platform.BasePort,
            ["registry"] = _platform.Platform.BasePort + 1,
            ["inference-worker-1"] = _platform.Platform.BasePort + 10,
            ["inference-worker-2"] = _platform.Platform.BasePort + 11,
        };
        foreach (var (service, pid) in _platform.Platform.Pids())
        {
            if (!ports.TryGetValue(service, out var port))
            {
                continue;
            }

            var rss = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            var kilobytes = double.Parse(rss.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            var metrics = await http.GetStringAsync($"http://127.0.0.1:{port}/metrics");
            // A series is a line's name and labels, without its value.
            var series = metrics.Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(l => l[..l.LastIndexOf(' ')]).ToHashSet();
            samples[service] = new Sample(kilobytes / 1024, series, metrics.Length);
        }

        return samples;
    }
}
