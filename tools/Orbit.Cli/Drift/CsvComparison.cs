using Orbit.Drift.Comparison;
using Orbit.Drift.Scores;

namespace Orbit.Cli.Drift;

/// <summary>One compared column: its scores and how many values each side had.</summary>
internal sealed record ComparedColumn(string Name, DriftScores Scores, long BaselineMissing, long LiveMissing);

/// <summary>What <c>drift compare</c> found: the columns both files share, scored, and those it could not score, with why.</summary>
internal sealed record CsvComparison(long BaselineRows, long LiveRows, IReadOnlyList<ComparedColumn> Columns, IReadOnlyDictionary<string, string> Skipped)
{
    /// <summary>
    /// Scores every column both files have: numeric when both sides' cells are all numbers (binned by the baseline's
    /// deciles), else categorical (the sorted union of both sides' values).
    /// </summary>
    public static CsvComparison Compare(CsvColumns baseline, CsvColumns live)
    {
        var skipped = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in live.Names.Where(n => baseline.IndexOf(n) < 0))
        {
            skipped[name] = "only in the live file";
        }

        var shared = baseline.Names.Where(n => live.IndexOf(n) >= 0).ToList();
        foreach (var name in baseline.Names.Where(n => live.IndexOf(n) < 0))
        {
            skipped[name] = "only in the baseline file";
        }

        var categorical = shared.Where(n => !baseline.IsNumeric[baseline.IndexOf(n)] || !live.IsNumeric[live.IndexOf(n)]).ToHashSet(StringComparer.Ordinal);
        if (categorical.Count > 0)
        {
            baseline.CountCategories(categorical);
            live.CountCategories(categorical);
        }

        var columns = new List<ComparedColumn>();
        foreach (var name in shared)
        {
            int b = baseline.IndexOf(name), l = live.IndexOf(name);
            var empty = categorical.Contains(name)
                ? baseline.Categories[b]!.Count == 0 || live.Categories[l]!.Count == 0
                : baseline.Numbers[b].Count == 0 || live.Numbers[l].Count == 0;
            if (empty)
            {
                skipped[name] = "no values on one side (every cell missing)";
                continue;
            }

            var scores = categorical.Contains(name)
                ? CategoricalScores.Score(live.Categories[l]!, baseline.Categories[b]!)
                : SampleComparison.Numeric(baseline.Numbers[b].ToArray(), live.Numbers[l].ToArray());
            columns.Add(new ComparedColumn(name, scores, baseline.Missing[b], live.Missing[l]));
        }

        return new CsvComparison(baseline.Rows, live.Rows, columns, skipped);
    }
}
