using Orbit.Contracts.Drift;
using Orbit.InferenceWorker.Statistics;

namespace Orbit.InferenceWorker.Tests.Statistics;

public sealed class AccumulatorTests
{
    [Theory]
    [InlineData(0.5, 0)]
    [InlineData(1.0, 1)]
    [InlineData(1.5, 1)]
    [InlineData(2.0, 3)]
    [InlineData(2.5, 3)]
    [InlineData(3.0, 4)]
    [InlineData(1e9, 4)]
    [InlineData(-1e9, 0)]
    public void The_bin_of_a_value_is_the_number_of_edges_at_or_below_it(double value, int bin)
    {
        // A repeated edge (2, 2) leaves the bin between them empty, as numpy.searchsorted(side='right') does.
        Assert.Equal(bin, NumericAccumulator.BinOf([1, 2, 2, 3], value));
    }

    [Fact]
    public void A_numeric_window_counts_bins_and_moments_and_counts_NaN_and_infinities_as_missing()
    {
        var accumulator = new NumericAccumulator([0, 10]);
        foreach (var value in new[] { -5.0, 0, 3, 10, 20, double.NaN, double.PositiveInfinity })
        {
            accumulator.Add(value);
        }

        accumulator.AddMissing();
        var window = accumulator.ToWindow();

        Assert.Equal(FeatureWindow.Numeric, window.Kind);
        Assert.Equal([1L, 2, 2], window.BinCounts!);
        Assert.Equal(5, window.Count);
        Assert.Equal(3, window.Missing);
        Assert.Equal(28, window.Sum);
        Assert.Equal(25 + 0 + 9 + 100 + 400, window.SumOfSquares);
        Assert.Equal(-5, window.Min);
        Assert.Equal(20, window.Max);
    }

    [Fact]
    public void An_empty_numeric_window_has_no_min_or_max()
    {
        var window = new NumericAccumulator([1]).ToWindow();

        Assert.Equal([0L, 0], window.BinCounts!);
        Assert.Null(window.Min);
        Assert.Null(window.Max);
    }

    [Fact]
    public void A_categorical_window_lists_baseline_categories_unseen_ones_up_to_the_limit_and_the_rest_as_other()
    {
        var accumulator = new CategoricalAccumulator(["basic", "pro", "enterprise"], maxUnseen: 2);
        foreach (var value in new[] { "basic", "basic", "pro", "trial", "free", "beta", "gamma", "trial", null, "" })
        {
            accumulator.Add(value);
        }

        var window = accumulator.ToWindow();

        Assert.Equal(FeatureWindow.Categorical, window.Kind);
        Assert.Equal(8, window.Count);
        Assert.Equal(2, window.Missing);
        Assert.Equal(2, window.Categories!["basic"]);
        Assert.Equal(1, window.Categories["pro"]);
        Assert.Equal(0, window.Categories["enterprise"]);
        Assert.Equal(2, window.Categories["trial"]);
        Assert.Equal(1, window.Categories["free"]);
        Assert.Equal(2, window.Categories[FeatureWindow.OtherCategory]);
        Assert.Equal(6, window.Categories.Count);
    }
}
