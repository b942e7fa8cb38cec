using Microsoft.Extensions.DependencyInjection;
using Orbit.Contracts.Drift;
using Orbit.DriftMonitor.Storage;
using Orbit.Testing;

namespace Orbit.DriftMonitor.Tests.Support;

/// <summary>A baseline of a numeric feature <c>x</c> (ten equal deciles) and a categorical <c>plan</c>, and windows drawn against it.</summary>
internal static class StatsWindows
{
    public static readonly long[] Like = [30, 30, 30, 30, 30, 30, 30, 30, 30, 30];

    /// <summary>PSI ≈ 0.169: over the warning threshold (0.1), under critical (0.25).</summary>
    public static readonly long[] Moderate = [18, 18, 18, 18, 18, 42, 42, 42, 42, 42];

    public static readonly long[] Shifted = [0, 0, 0, 0, 0, 0, 0, 100, 100, 100];

    public static object Metadata(long rows = 5000) => new
    {
        features = new object[] { new { name = "x", type = "numeric" }, new { name = "plan", type = "categorical" } },
        baseline = new
        {
            rows,
            features = new Dictionary<string, object>
            {
                ["x"] = new { binEdges = new[] { 1.0, 2, 3, 4, 5, 6, 7, 8, 9 }, counts = Enumerable.Repeat(rows / 10.0, 10).ToArray() },
                ["plan"] = new { frequencies = new Dictionary<string, double> { ["a"] = rows / 2.0, ["b"] = rows / 2.0 } },
            },
        },
    };

    public static FeatureStatsObserved Window(string tenant, string model, int version, DateTimeOffset end, long[] x, string? id = null)
    {
        var rows = x.Sum();
        return new FeatureStatsObserved(
            id ?? Guid.NewGuid().ToString("N"), tenant, model, version, "worker-test", end.AddSeconds(-1), end, rows,
            new Dictionary<string, FeatureWindow>
            {
                ["x"] = new(FeatureWindow.Numeric, rows, 0, x, Sum: rows * 5.0, SumOfSquares: rows * 30.0, Min: 0.5, Max: 9.5),
                ["plan"] = new(FeatureWindow.Categorical, rows, 0, Categories: new Dictionary<string, long> { ["a"] = rows / 2, ["b"] = rows - rows / 2 }),
            });
    }

    /// <summary>Waits until the monitor has committed the stream up to <paramref name="offset"/> (exclusive).</summary>
    public static Task CommittedAsync(MonitorWithRegistry monitor, long offset, string? stream = null) =>
        Eventually.GetAsync<object>(async () =>
            await monitor.Services.GetRequiredService<DriftStore>().NextOffsetAsync(stream ?? monitor.Stream, CancellationToken.None) >= offset ? new object() : null,
            TimeSpan.FromSeconds(30), $"the monitor to commit {stream ?? monitor.Stream} up to offset {offset}");
}
