using Orbit.Contracts.Drift;

namespace Orbit.Drift.Windows;

/// <summary>
/// A mergeable summary of one feature over any number of windows: adding two is adding their counts (and sums, and
/// taking min/max), so windows from many workers and many periods combine in any order.
/// </summary>
public sealed class WindowHistogram
{
    public WindowHistogram(string kind, int bins)
    {
        Kind = kind;
        BinCounts = new long[kind == FeatureWindow.Numeric ? bins : 0];
    }

    public string Kind { get; }

    public long Count { get; private set; }

    public long Missing { get; private set; }

    public long[] BinCounts { get; }

    public double Sum { get; private set; }

    public double SumOfSquares { get; private set; }

    public double? Min { get; private set; }

    public double? Max { get; private set; }

    public Dictionary<string, long> Categories { get; } = new(StringComparer.Ordinal);

    /// <summary>Why <paramref name="window"/> cannot be added to this histogram, or null when it can.</summary>
    public string? Rejects(FeatureWindow window)
    {
        if (window.Kind != Kind)
        {
            return $"kind is '{window.Kind}', the baseline's is '{Kind}'";
        }

        if (window.Count < 0 || window.Missing < 0)
        {
            return "count and missing must not be negative";
        }

        if (Kind == FeatureWindow.Numeric)
        {
            if (window.BinCounts is not { } counts || counts.Count != BinCounts.Length)
            {
                return $"binCounts has {window.BinCounts?.Count.ToString() ?? "no"} counts, the baseline's edges need {BinCounts.Length}";
            }

            long total = 0;
            foreach (var c in counts)
            {
                if (c < 0)
                {
                    return "binCounts must not be negative";
                }

                total += c;
            }

            return total == window.Count ? null : $"binCounts sum to {total}, count is {window.Count}";
        }

        if (window.Categories is not { } categories)
        {
            return "categories are missing";
        }

        return categories.Values.Any(c => c < 0) ? "category counts must not be negative" : null;
    }

    /// <summary>Adds a window that <see cref="Rejects"/> accepted.</summary>
    public void Add(FeatureWindow window)
    {
        Count += window.Count;
        Missing += window.Missing;
        Sum += window.Sum;
        SumOfSquares += window.SumOfSquares;
        if (window.Min is { } min)
        {
            Min = Min is { } m ? Math.Min(m, min) : min;
        }

        if (window.Max is { } max)
        {
            Max = Max is { } m ? Math.Max(m, max) : max;
        }

        if (window.BinCounts is { } counts && Kind == FeatureWindow.Numeric)
        {
            for (var i = 0; i < BinCounts.Length; i++)
            {
                BinCounts[i] += counts[i];
            }
        }

        if (window.Categories is { } categories && Kind == FeatureWindow.Categorical)
        {
            foreach (var (name, count) in categories)
            {
                Categories[name] = Categories.GetValueOrDefault(name) + count;
            }
        }
    }

    public FeatureWindow ToWindow() => new(
        Kind, Count, Missing,
        Kind == FeatureWindow.Numeric ? BinCounts.ToArray() : null,
        Sum, SumOfSquares, Min, Max,
        Kind == FeatureWindow.Categorical ? new Dictionary<string, long>(Categories, StringComparer.Ordinal) : null);
}
