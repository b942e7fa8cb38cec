using System.Text.Json;
using System.Text.Json.Nodes;
using Orbit.Retrainer.Training;

namespace Orbit.Retrainer.Registration;

/// <summary>
/// Where the workers read the new version's prediction: the output the gate scored (its baseline is those scores),
/// and for a binary classifier the class names [negative, positive], class 1 predicted at probability 0.5 or more,
/// so the drift monitor can compare predicted classes with outcome labels.
/// </summary>
internal sealed record PredictionNaming(string Output, IReadOnlyList<string>? Classes);

/// <summary>The metadata part of a retrained version's upload (see docs/registry.md): features, metrics, baseline, lineage, prediction.</summary>
internal static class VersionMetadataBuilder
{
    public const double DecisionThreshold = 0.5;

    public static JsonElement Build(
        TrainingTable training,
        double[] trainingScores,
        PredictionNaming prediction,
        string target,
        IReadOnlyDictionary<string, double> metrics,
        int? parentVersion,
        string snapshotHash,
        string trainer,
        string attemptId,
        DateTimeOffset trainedAt)
    {
        var features = new JsonArray();
        var baselines = new JsonObject();
        for (var k = 0; k < training.Width; k++)
        {
            var name = training.FeatureNames[k];
            features.Add(new JsonObject { ["name"] = name, ["type"] = "numeric", ["role"] = "feature" });
            baselines[name] = ToJson(BaselineBuilder.Numeric(training.Features.Select(row => (double)row[k])));
        }

        features.Add(new JsonObject
        {
            ["name"] = target,
            ["type"] = training.Task == LearningTask.BinaryClassification ? "categorical" : "numeric",
            ["role"] = "target",
        });
        var metadata = new JsonObject
        {
            ["trainingDate"] = trainedAt.ToString("O"),
            ["datasetVersion"] = snapshotHash,
            ["metrics"] = new JsonObject(metrics.Where(m => double.IsFinite(m.Value)).Select(m => KeyValuePair.Create(m.Key, (JsonNode?)m.Value))),
            ["features"] = features,
            ["baseline"] = new JsonObject
            {
                ["rows"] = training.Rows,
                ["features"] = baselines,
                ["predictions"] = ToJson(BaselineBuilder.Numeric(trainingScores)),
            },
            ["lineage"] = Lineage(parentVersion, snapshotHash, trainer),
            ["prediction"] = prediction.Classes is null
                ? new JsonObject { ["output"] = prediction.Output }
                : new JsonObject { ["output"] = prediction.Output, ["threshold"] = DecisionThreshold },
            ["description"] = $"retrained by orbit-retrainer (attempt {attemptId})",
            ["tags"] = new JsonArray("retrained"),
        };
        if (prediction.Classes is { } classes)
        {
            metadata["classes"] = new JsonArray([.. classes.Select(c => (JsonNode?)c)]);
        }

        return JsonSerializer.SerializeToElement(metadata);
    }

    private static JsonObject Lineage(int? parentVersion, string snapshotHash, string trainer)
    {
        var lineage = new JsonObject { ["dataSnapshotHash"] = snapshotHash, ["trainer"] = trainer };
        if (parentVersion is { } parent)
        {
            lineage["parentVersion"] = parent;
        }

        return lineage;
    }

    private static JsonObject ToJson(NumericBaseline baseline) => new()
    {
        ["binEdges"] = new JsonArray([.. baseline.BinEdges.Select(e => (JsonNode?)e)]),
        ["counts"] = new JsonArray([.. baseline.Counts.Select(c => (JsonNode?)c)]),
    };
}
