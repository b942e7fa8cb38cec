namespace Orbit.Inference.Bench;

/// <summary>What one closed-loop run measured: successful requests per second and their latency percentiles.</summary>
internal sealed record LoadResult(double RequestsPerSecond, double P50Milliseconds, double P99Milliseconds, long Completed, IReadOnlyDictionary<string, long> Failures)
{
    public static LoadResult From(List<double> latencies, double seconds, IReadOnlyDictionary<string, long> failures)
    {
        latencies.Sort();
        return new LoadResult(latencies.Count / seconds, Percentile(latencies, 0.50), Percentile(latencies, 0.99), latencies.Count, failures);
    }

    /// <summary>CPU seconds per process during the measured window, when the run was asked to measure them.</summary>
    public IReadOnlyDictionary<string, double>? Cpu { get; init; }

    public string FailureSummary => Failures.Count == 0 ? "" : string.Join(", ", Failures.Select(f => $"{f.Key}×{f.Value}"));

    // Nearest rank on the sorted latencies.
    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
