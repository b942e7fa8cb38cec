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

    private static string Latency(LoadResult? result) =>
        result is null ? "—" : $"{F(result.P50Milliseconds, "F2")} / {F(result.P99Milliseconds, "F2")}";

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
