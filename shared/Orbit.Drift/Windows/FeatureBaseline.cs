using System.Text.Json;
using Orbit.Contracts.Drift;

namespace Orbit.Drift.Windows;

/// <summary>
/// One feature's training-time distribution: numeric (<see cref="Edges"/> and <see cref="Counts"/>, one longer) or
/// categorical (<see cref="Frequencies"/>). <see cref="Rows"/> is the number of values it summarises.
/// </summary>
public sealed record FeatureBaseline(string Kind, double[] Edges, double[] Counts, IReadOnlyDictionary<string, double> Frequencies)
{
    public double Rows => Kind == FeatureWindow.Numeric ? Counts.Sum() : Frequencies.Values.Sum();

    public static FeatureBaseline Numeric(double[] edges, double[] counts) =>
        new(FeatureWindow.Numeric, edges, counts, new Dictionary<string, double>());

    public static FeatureBaseline Categorical(IReadOnlyDictionary<string, double> frequencies) =>
        new(FeatureWindow.Categorical, [], [], frequencies);
}

/// <summary>A version's baseline: per feature, and of its predictions.</summary>
public sealed record VersionBaseline(long Rows, IReadOnlyDictionary<string, FeatureBaseline> Features, FeatureBaseline? Predictions)
{
    public const string PredictionsName = "__predictions__";

    /// <summary>
    /// Reads the <c>baseline</c> of a version's metadata (docs/registry.md). Returns null with a reason when there is
    /// none or it cannot be used (then the version is <c>unmapped</c>).
    /// </summary>
    public static (VersionBaseline? Baseline, string? Reason) FromMetadata(JsonElement metadata)
    {
        if (metadata.ValueKind != JsonValueKind.Object || !metadata.TryGetProperty("baseline", out var baseline) || baseline.ValueKind != JsonValueKind.Object)
        {
            return (null, "the version's metadata has no baseline");
        }

        var features = new Dictionary<string, FeatureBaseline>(StringComparer.Ordinal);
        if (baseline.TryGetProperty("features", out var featureList) && featureList.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in featureList.EnumerateObject())
            {
                var (feature, reason) = Distribution(property.Value);
                if (feature is null)
                {
                    return (null, $"baseline.features.{property.Name}: {reason}");
                }

                features[property.Name] = feature;
            }
        }

        FeatureBaseline? predictions = null;
        if (baseline.TryGetProperty("predictions", out var predictionNode) && predictionNode.ValueKind == JsonValueKind.Object)
        {
            (predictions, var reason) = Distribution(predictionNode);
            if (predictions is null)
            {
                return (null, $"baseline.predictions: {reason}");
            }
        }

        if (features.Count == 0 && predictions is null)
        {
            return (null, "the baseline has no features and no predictions");
        }

        var rows = baseline.TryGetProperty("rows", out var rowNode) && rowNode.TryGetInt64(out var n) ? n
            : (long)features.Values.Concat(predictions is null ? [] : [predictions]).Max(f => f.Rows);
        return (new VersionBaseline(rows, features, predictions), null);
    }

    private static (FeatureBaseline? Feature, string? Reason) Distribution(JsonElement node)
    {
        if (node.TryGetProperty("binEdges", out var edgesNode) && node.TryGetProperty("counts", out var countsNode))
        {
            var edges = Numbers(edgesNode);
            var counts = Numbers(countsNode);
            if (edges is null || counts is null || !Binning.BinEdges.AreValid(edges))
            {
                return (null, "binEdges and counts must be arrays of finite numbers, the edges ascending");
            }

            if (counts.Length != edges.Length + 1 || counts.Any(c => c < 0) || counts.Sum() <= 0)
            {
                return (null, $"counts must be {edges.Length + 1} non-negative numbers (one more than binEdges) with a positive sum");
            }

            return (FeatureBaseline.Numeric(edges, counts), null);
        }

        if (node.TryGetProperty("frequencies", out var frequencies) && frequencies.ValueKind == JsonValueKind.Object)
        {
            var map = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var category in frequencies.EnumerateObject())
            {
                if (!category.Value.TryGetDouble(out var value) || value < 0 || !double.IsFinite(value))
                {
                    return (null, $"frequencies.{category.Name} must be a non-negative number");
                }

                map[category.Name] = value;
            }

            return map.Values.Sum() > 0 ? (FeatureBaseline.Categorical(map), null) : (null, "frequencies must have a positive sum");
        }

        return (null, "a distribution needs binEdges and counts, or frequencies");
    }

    private static double[]? Numbers(JsonElement node)
    {
        if (node.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var result = new double[node.GetArrayLength()];
        var i = 0;
        foreach (var item in node.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !double.IsFinite(result[i++] = item.GetDouble()))
            {
                return null;
            }
        }

        return result;
    }
}
