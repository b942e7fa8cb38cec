using System.Globalization;

namespace Orbit.Inference.Bench;

/// <summary>The markdown table of one model: platform beside baseline at each concurrency.</summary>
internal static class ResultTable
{
    /// <param name="door">How the platform was called: "REST (JSON)" or "gRPC (raw contents)".</param>
    public static void Write(TextWriter output, BenchModel model, IReadOnlyList<(int Concurrency, LoadResult? Platform, LoadResult Baseline)> rows, string door = "REST (JSON)")
    {
        output.WriteLine();
        output.WriteLine($"{model.Key}: {model.Name}, input {model.InputName}[{string.Join(",", model.InputShape)}], platform over {door}");
        output.WriteLine();
        output.WriteLine("| concurrency | platform req/s | baseline req/s | ratio | platform p50 / p99 ms | baseline p50 / p99 ms | p50 difference ms |");
        output.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (concurrency, platform, baseline) in rows)
        {
            var ratio = platform is null ? "—" : F(platform.RequestsPerSecond / baseline.RequestsPerSecond, "F2");
            var difference = platform is null ? "—" : F(platform.P50Milliseconds - baseline.P50Milliseconds, "+0.00;-0.00");
            output.WriteLine($"| {concurrency} | {(platform is null ? "—" : F(platform.RequestsPerSecond, "F0"))} | {F(baseline.RequestsPerSecond, "F0")} | {ratio} "
                + $"| {Latency(platform)} | {Latency(baseline)} | {difference} |");
        }
        var failures = rows.SelectMany(r => new[] { ("platform", r.Concurrency, r.Platform), ("baseline", r.Concurrency, r.Baseline) })
            .Where(r => r.Item3 is { Failures.Count: > 0 })
            .Select(r => $"{r.Item1} at {r.Concurrency}: {r.Item3!.FailureSummary}")
            .ToList();
        output.WriteLine();
        output.WriteLine(failures.Count == 0 ? "Failed requests: none." : "Failed requests: " + string.Join("; ", failures) + ".");
    }

    /// <summary>
    /// CPU seconds each process used in each row's measured window, their sum, and the sum per answered request.
    /// Processes idle in a row (the platform's during a baseline row) show what they cost doing nothing; the host's
    /// busy time beside the total shows how much else (other builds, tests) ran in the same window.
    /// </summary>
    public static void WriteCpu(TextWriter output, BenchModel model, IReadOnlyList<string> processes, IReadOnlyList<(int Concurrency, string Door, LoadResult Result)> rows, double seconds)
    {
        output.WriteLine();
        output.WriteLine($"{model.Key}: CPU seconds per process in each {F(seconds, "0.#")} s measured window ({Environment.ProcessorCount} cores = {F(Environment.ProcessorCount * seconds, "0.#")} CPU s at most)");
        output.WriteLine();
        output.WriteLine($"| concurrency | door | {string.Join(" | ", processes)} | total | CPU ms per answer | whole host busy |");
        output.WriteLine($"|---:|---|{string.Concat(processes.Select(_ => "---:|"))}---:|---:|---:|");
        foreach (var (concurrency, door, result) in rows)
        {
            var used = processes.Select(p => result.Cpu!.GetValueOrDefault(p, double.NaN)).ToList();
            var total = used.Where(v => !double.IsNaN(v)).Sum();
            var perAnswer = result.Completed == 0 ? "—" : F(1000 * total / result.Completed, "F3");
            output.WriteLine($"| {concurrency} | {door} | {string.Join(" | ", used.Select(v => double.IsNaN(v) ? "—" : F(v, "F2")))} | {F(total, "F2")} | {perAnswer} | {F(result.Cpu!.GetValueOrDefault(ProcessCpu.Host, double.NaN), "F2")} |");
        }
    }

    private static string Latency(LoadResult? result) =>
        result is null ? "—" : $"{F(result.P50Milliseconds, "F2")} / {F(result.P99Milliseconds, "F2")}";

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
