using System.Globalization;

namespace Orbit.Inference.Bench;

/// <summary>
/// The "REST binary" row: the image-sized input (x[1,3,224,224] FP32) to the platform as JSON numbers and under the
/// OIP binary tensor data extension, beside the in-process baseline sent the same binary body, in one run.
/// </summary>
internal static class RestBinaryBench
{
    public static async Task<int> RunAsync(Func<string, string?> option)
    {
        var platform = new Target("platform", new Uri(option("--platform") ?? throw new ArgumentException("--platform URL is required")), option("--key"));
        var baseline = new Target("baseline", new Uri(option("--baseline") ?? throw new ArgumentException("--baseline URL is required")), null);
        var levels = (option("--concurrency") ?? "1 64").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();
        var duration = TimeSpan.FromSeconds(double.Parse(option("--duration") ?? "10", CultureInfo.InvariantCulture));
        var warmUp = TimeSpan.FromSeconds(double.Parse(option("--warmup") ?? "3", CultureInfo.InvariantCulture));
        var cpu = ProcessCpu.Parse(option("--cpu"));
        var model = BenchModels.All.Single(m => m.Key == "image");
        var path = $"/v2/models/{model.Name}/infer";
        var json = InferRequest.Body(model);
        var (binary, headerLength) = InferRequest.BinaryBody(model);
        await CheckAgreeAsync(path, [(platform, json, null), (platform, binary, headerLength), (baseline, binary, headerLength)]);

        var rows = new List<(int Concurrency, LoadResult Json, LoadResult Binary, LoadResult Baseline)>();
        var cpuRows = new List<(int Concurrency, string Door, LoadResult Result)>();
        foreach (var concurrency in levels)
        {
            var fromJson = await MeasureAsync("platform JSON", platform, path, json, null, concurrency, warmUp, duration, cpu);
            var fromBinary = await MeasureAsync("platform binary", platform, path, binary, headerLength, concurrency, warmUp, duration, cpu);
            var inProcess = await MeasureAsync("baseline binary", baseline, path, binary, headerLength, concurrency, warmUp, duration, cpu);
            rows.Add((concurrency, fromJson, fromBinary, inProcess));
            cpuRows.AddRange([(concurrency, "platform JSON", fromJson), (concurrency, "platform binary", fromBinary), (concurrency, "baseline binary", inProcess)]);
        }

        Console.WriteLine();
        Console.WriteLine($"REST binary: {model.Name}, input {model.InputName}[{string.Join(",", model.InputShape)}] FP32; request body {json.Length:N0} bytes as JSON, {binary.Length:N0} as binary (header {headerLength})");
        Console.WriteLine();
        Console.WriteLine("| concurrency | platform JSON req/s | platform binary req/s | baseline req/s | binary / JSON | binary / baseline | JSON / baseline | p50 ms JSON / binary / baseline | p99 ms JSON / binary / baseline |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (concurrency, fromJson, fromBinary, inProcess) in rows)
        {
            var throughput = FormattableString.Invariant($"{fromJson.RequestsPerSecond:F0} | {fromBinary.RequestsPerSecond:F0} | {inProcess.RequestsPerSecond:F0}");
            var ratios = FormattableString.Invariant(
                $"**{fromBinary.RequestsPerSecond / fromJson.RequestsPerSecond:F2}** | **{fromBinary.RequestsPerSecond / inProcess.RequestsPerSecond:F2}** | {fromJson.RequestsPerSecond / inProcess.RequestsPerSecond:F2}");
            var p50 = FormattableString.Invariant($"{fromJson.P50Milliseconds:F2} / {fromBinary.P50Milliseconds:F2} / {inProcess.P50Milliseconds:F2}");
            var p99 = FormattableString.Invariant($"{fromJson.P99Milliseconds:F2} / {fromBinary.P99Milliseconds:F2} / {inProcess.P99Milliseconds:F2}");
            Console.WriteLine($"| {concurrency} | {throughput} | {ratios} | {p50} | {p99} |");
        }

        var failures = rows.SelectMany(r => new[] { ("JSON", r.Concurrency, r.Json), ("binary", r.Concurrency, r.Binary), ("baseline", r.Concurrency, r.Baseline) })
            .Where(r => r.Item3.Failures.Count > 0)
            .Select(r => $"{r.Item1} at {r.Concurrency}: {r.Item3.FailureSummary}")
            .ToList();
        Console.WriteLine();
        Console.WriteLine(failures.Count == 0 ? "Failed requests: none." : "Failed requests: " + string.Join("; ", failures) + ".");
        if (cpu is not null)
        {
            ResultTable.WriteCpu(Console.Out, model, cpu.Names.ToList(), cpuRows, duration.TotalSeconds);
        }
        return 0;
    }

    private static async Task<LoadResult> MeasureAsync(string name, Target target, string path, byte[] body, int? headerLength, int concurrency, TimeSpan warmUp, TimeSpan duration, ProcessCpu? cpu)
    {
        var result = await LoadGenerator.RunAsync(target, path, body, concurrency, warmUp, duration, headerLength, cpu);
        Console.Error.WriteLine(FormattableString.Invariant(
            $"image c={concurrency} {name}: {result.RequestsPerSecond:F0} req/s, p50 {result.P50Milliseconds:F2} ms, p99 {result.P99Milliseconds:F2} ms {result.FailureSummary}"));
        return result;
    }

    // One request of each kind before measuring: all must answer 200 with the same numbers.
    private static async Task CheckAgreeAsync(string path, (Target Target, byte[] Body, int? HeaderLength)[] kinds)
    {
        var answers = new List<float[]>();
        foreach (var (target, body, headerLength) in kinds)
        {
            using var client = target.CreateClient(1);
            using var request = InferRequest.Message(path, body, headerLength);
            using var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"{target.Name} ({(headerLength is null ? "JSON" : "binary")}) answered {(int)response.StatusCode}: {text}");
            }
            answers.Add(InferRequest.FirstOutput(text));
        }

        var difference = answers.Skip(1).SelectMany(a => a.Zip(answers[0], (x, y) => Math.Abs(x - y))).DefaultIfEmpty(0).Max();
        if (answers.Any(a => a.Length != answers[0].Length || a.Length == 0) || difference > 1e-4f)
        {
            throw new InvalidOperationException($"the JSON, binary and baseline answers disagree (max difference {difference})");
        }
    }
}
