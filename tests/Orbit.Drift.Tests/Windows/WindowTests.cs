using System.Text.Json;
using Orbit.Contracts.Drift;
using Orbit.Drift.Binning;
using Orbit.Drift.Comparison;
using Orbit.Drift.Windows;

namespace Orbit.Drift.Tests.Windows;

public sealed class WindowTests
{
    [Fact]
    public void Windows_merged_in_any_split_equal_one_window_over_all_values()
    {
        double[] edges = [0, 1, 1, 2];
        var values = Enumerable.Range(0, 1000).Select(i => Math.Sin(i) * 3).Append(double.NaN).ToArray();
        var whole = new NumericAccumulator(edges);
        whole.AddRange(values);

        var merged = new WindowHistogram(FeatureWindow.Numeric, edges.Length + 1);
        foreach (var chunk in values.Chunk(137))
        {
            var part = new NumericAccumulator(edges);
            part.AddRange(chunk);
            var window = part.ToWindow();
            Assert.Null(merged.Rejects(window));
            merged.Add(window);
        }

        var expected = whole.ToWindow();
        var actual = merged.ToWindow();
        Assert.Equal(expected.BinCounts, actual.BinCounts);
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(1, actual.Missing);
        Assert.Equal(expected.Min, actual.Min);
        Assert.Equal(expected.Max, actual.Max);
        Assert.Equal(expected.Sum, actual.Sum, 9);
        Assert.Equal(0, actual.BinCounts![2]); // between the equal edges
    }

    [Fact]
    public void Bin_counts_that_do_not_match_the_baseline_are_rejected_with_the_reason()
    {
        var histogram = new WindowHistogram(FeatureWindow.Numeric, 3);
        Assert.Contains("need 3", histogram.Rejects(new FeatureWindow(FeatureWindow.Numeric, 2, 0, [1, 1])));
        Assert.Contains("sum to 3", histogram.Rejects(new FeatureWindow(FeatureWindow.Numeric, 2, 0, [1, 1, 1])));
        Assert.Contains("kind", histogram.Rejects(new FeatureWindow(FeatureWindow.Categorical, 2, 0, Categories: new Dictionary<string, long>())));
    }

    [Fact]
    public void Window_scores_equal_the_compare_scores_on_the_same_bins()
    {
        var vector = Vectors.Case("numeric", "normal_shifted_unequal_sizes");
        var baselineValues = Vectors.Doubles(vector["baseline"]);
        var live = Vectors.Doubles(vector["live"]);
        var sorted = (double[])baselineValues.Clone();
        Array.Sort(sorted);
        var edges = BinEdges.Deciles(sorted);
        var baseline = FeatureBaseline.Numeric(edges, BinEdges.Count(edges, sorted).Select(c => (double)c).ToArray());
        var accumulator = new NumericAccumulator(edges);
        accumulator.AddRange(live);
        var histogram = new WindowHistogram(FeatureWindow.Numeric, edges.Length + 1);
        histogram.Add(accumulator.ToWindow());

        var window = WindowScorer.Score(baseline, histogram);
        var compare = SampleComparison.Numeric(baselineValues, live);
        Assert.Equal(compare.Psi, window.Psi, 12);
        Assert.Equal(compare.Js, window.Js, 12);
        Assert.Equal(compare.Ks, window.Ks, 12);
        Vectors.Near(vector["expected"]!["wasserstein_binned"], window.WassersteinBinned, "wasserstein_binned");
        Assert.InRange(window.KsPValue!.Value, 0, 1);
    }

    [Fact]
    public void Unseen_categories_count_against_a_zero_baseline_frequency()
    {
        var baseline = FeatureBaseline.Categorical(new Dictionary<string, double> { ["a"] = 50, ["b"] = 50 });
        var histogram = new WindowHistogram(FeatureWindow.Categorical, 0);
        histogram.Add(new FeatureWindow(FeatureWindow.Categorical, 100, 0, Categories: new Dictionary<string, long> { ["a"] = 50, ["zzz"] = 50 }));
        var scores = WindowScorer.Score(baseline, histogram);
        var same = SampleComparison.Categorical(
            [.. Enumerable.Repeat("a", 50), .. Enumerable.Repeat("b", 50)],
            [.. Enumerable.Repeat("a", 50), .. Enumerable.Repeat("zzz", 50)]);
        Assert.Equal(same, scores);
        Assert.True(scores.Psi > 1);
    }

    [Fact]
    public void A_baseline_is_read_from_version_metadata_or_the_reason_is_given()
    {
        using var good = JsonDocument.Parse("""
            {"baseline": {"rows": 2000, "features": {
              "age": {"binEdges": [1, 2], "counts": [10, 20, 30]},
              "plan": {"frequencies": {"basic": 3, "pro": 1}}},
              "predictions": {"frequencies": {"yes": 1, "no": 1}}}}
            """);
        var (baseline, reason) = VersionBaseline.FromMetadata(good.RootElement);
        Assert.Null(reason);
        Assert.Equal(2000, baseline!.Rows);
        Assert.Equal([10.0, 20, 30], baseline.Features["age"].Counts);
        Assert.Equal(FeatureWindow.Categorical, baseline.Features["plan"].Kind);
        Assert.NotNull(baseline.Predictions);

        using var bad = JsonDocument.Parse("""{"baseline": {"features": {"age": {"binEdges": [1, 2], "counts": [1, 2]}}}}""");
        Assert.Contains("baseline.features.age", VersionBaseline.FromMetadata(bad.RootElement).Reason);
        using var none = JsonDocument.Parse("{}");
        Assert.Contains("no baseline", VersionBaseline.FromMetadata(none.RootElement).Reason);
    }
}
