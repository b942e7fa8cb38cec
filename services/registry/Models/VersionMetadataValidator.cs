using Orbit.Contracts.Wire;

namespace Orbit.Registry.Models;

/// <summary>Checks a metadata part field by field; the first problem found names its field (<c>metadata.baseline.features.age.counts</c>).</summary>
internal static partial class VersionMetadataValidator
{
    public static (string Field, string Problem)? Validate(VersionMetadata metadata)
    {
        const string root = "metadata";
        if (metadata.DatasetVersion is { Length: > 200 })
        {
            return ($"{root}.datasetVersion", "must be at most 200 characters");
        }

        foreach (var (name, value) in metadata.Metrics ?? [])
        {
            if (string.IsNullOrWhiteSpace(name) || name.Length > 128)
            {
                return ($"{root}.metrics", "metric names must be 1 to 128 characters");
            }

            if (!double.IsFinite(value))
            {
                return ($"{root}.metrics.{name}", "must be a finite number");
            }
        }

        var schema = new Dictionary<string, FeatureSchema>(StringComparer.Ordinal);
        for (var i = 0; i < (metadata.Features?.Count ?? 0); i++)
        {
            var feature = metadata.Features![i];
            var field = $"{root}.features[{i}]";
            if (feature is null || string.IsNullOrWhiteSpace(feature.Name) || feature.Name.Length > 128)
            {
                return ($"{field}.name", "is required, 1 to 128 characters");
            }

            if (feature.Type is not ("numeric" or "categorical"))
            {
                return ($"{field}.type", "must be 'numeric' or 'categorical'");
            }

            if (feature.Role is not (null or "feature" or "target" or "identifier"))
            {
                return ($"{field}.role", "must be 'feature', 'target' or 'identifier'");
            }

            if (!schema.TryAdd(feature.Name, feature))
            {
                return ($"{field}.name", $"'{feature.Name}' is listed twice");
            }
        }

        if (metadata.Baseline is { } baseline)
        {
            if (baseline.Rows is < 0)
            {
                return ($"{root}.baseline.rows", "must not be negative");
            }

            foreach (var (name, distribution) in baseline.Features ?? [])
            {
                var field = $"{root}.baseline.features.{name}";
                if (schema.Count > 0 && !schema.ContainsKey(name))
                {
                    return (field, $"'{name}' is not in metadata.features");
                }

                var expected = schema.TryGetValue(name, out var declared) ? declared.Type : null;
                if (ValidateDistribution(distribution, field, expected) is { } problem)
                {
                    return problem;
                }
            }

            if (baseline.Predictions is { } predictions && ValidateDistribution(predictions, $"{root}.baseline.predictions", null) is { } predictionProblem)
            {
                return predictionProblem;
            }
        }

        if (metadata.Lineage is { } lineage)
        {
            if (lineage.ParentVersion is < 1)
            {
                return ($"{root}.lineage.parentVersion", "must be a version number (1 or more)");
            }

            if (lineage.DataSnapshotHash is { } hash && !Digest.IsValid(hash))
            {
                return ($"{root}.lineage.dataSnapshotHash", "must be " + Digest.Description);
            }

            if (lineage.Trainer is { Length: > 200 })
            {
                return ($"{root}.lineage.trainer", "must be at most 200 characters");
            }
        }

        if (metadata.Description is { Length: > 4000 })
        {
            return ($"{root}.description", "must be at most 4000 characters");
        }

        if (metadata.Serving?.MaxBatchSize is < 0 or > ServingSettings.MaxBatchSizeLimit)
        {
            return ($"{root}.serving.maxBatchSize", $"must be between 0 (never batch) and {ServingSettings.MaxBatchSizeLimit}");
        }

        if (ValidateClasses(metadata.Classes, $"{root}.classes") is { } classProblem)
        {
            return classProblem;
        }

        if (ValidatePrediction(metadata.Prediction, metadata.Classes, $"{root}.prediction") is { } outputProblem)
        {
            return outputProblem;
        }

        return ValidateTags(metadata.Tags, $"{root}.tags");
    }

    private static (string Field, string Problem)? ValidatePrediction(PredictionSettings? prediction, IReadOnlyList<string>? classes, string field)
    {
        if (prediction is null)
        {
            return null;
        }

        if (prediction.Output is { } output && (string.IsNullOrWhiteSpace(output) || output.Length > 200))
        {
            return ($"{field}.output", "an output name is 1 to 200 characters");
        }

        if (prediction.Threshold is { } threshold)
        {
            if (!double.IsFinite(threshold) || threshold <= 0 || threshold >= 1)
            {
                return ($"{field}.threshold", "must be a probability strictly between 0 and 1");
            }

            if (classes is not { Count: 2 })
            {
                return ($"{field}.threshold", "needs exactly two 'classes': the class below the threshold, then the one at or above it");
            }
        }

        return null;
    }

    private static (string Field, string Problem)? ValidateClasses(IReadOnlyList<string>? classes, string field)
    {
        if (classes is null)
        {
            return null;
        }

        if (classes.Count is 0 or > 10_000)
        {
            return (field, "must list 1 to 10000 class names");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < classes.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(classes[i]) || classes[i].Length > 200)
            {
                return ($"{field}[{i}]", "a class name is 1 to 200 characters");
            }

            if (!seen.Add(classes[i]))
            {
                return ($"{field}[{i}]", $"'{classes[i]}' is listed twice");
            }
        }

        return null;
    }

    public static (string Field, string Problem)? ValidateTags(IReadOnlyList<string>? tags, string field)
    {
        if (tags is null)
        {
            return null;
        }

        if (tags.Count > 50)
        {
            return (field, "at most 50 tags");
        }

        for (var i = 0; i < tags.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(tags[i]) || tags[i].Length > 64)
            {
                return ($"{field}[{i}]", "a tag is 1 to 64 characters");
            }
        }

        return null;
    }

    private static (string Field, string Problem)? ValidateDistribution(Distribution? distribution, string field, string? expectedType)
    {
        if (distribution is null)
        {
            return (field, "must be an object with binEdges and counts, or frequencies");
        }

        var numeric = distribution.BinEdges is not null || distribution.Counts is not null;
        var categorical = distribution.Frequencies is not null;
        if (numeric == categorical)
        {
            return (field, "give either binEdges with counts (numeric) or frequencies (categorical)");
        }

        if (expectedType == "numeric" && !numeric)
        {
            return (field, "the feature is numeric: give binEdges and counts");
        }

        if (expectedType == "categorical" && !categorical)
        {
            return (field, "the feature is categorical: give frequencies");
        }

        if (categorical)
        {
            foreach (var (category, value) in distribution.Frequencies!)
            {
                if (!double.IsFinite(value) || value < 0)
                {
                    return ($"{field}.frequencies.{category}", "must be a finite number, 0 or more");
                }
            }

            return null;
        }

        var edges = distribution.BinEdges;
        var counts = distribution.Counts;
        if (edges is null || edges.Count == 0)
        {
            return ($"{field}.binEdges", "at least one edge is required");
        }

        for (var i = 0; i < edges.Count; i++)
        {
            if (!double.IsFinite(edges[i]) || (i > 0 && edges[i] <= edges[i - 1]))
            {
                return ($"{field}.binEdges[{i}]", "edges must be finite and strictly increasing");
            }
        }

        if (counts is null || counts.Count != edges.Count + 1)
        {
            return ($"{field}.counts", $"must have {edges.Count + 1} values (one more than binEdges: below the first edge, between edges, above the last)");
        }

        for (var i = 0; i < counts.Count; i++)
        {
            if (!double.IsFinite(counts[i]) || counts[i] < 0)
            {
                return ($"{field}.counts[{i}]", "must be a finite number, 0 or more");
            }
        }

        return null;
    }
}
