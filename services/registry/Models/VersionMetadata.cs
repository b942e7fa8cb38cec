using System.Text.Json;

namespace Orbit.Registry.Models;

/// <summary>
/// The JSON metadata part of a version upload. Every field is optional; what is given is
/// validated by <see cref="VersionMetadataValidator"/> and stored as given. <c>classes</c> names a
/// classifier's classes by index (class k of its probability output), for prediction statistics; <c>prediction</c>
/// says which output holds the prediction, and for a binary classifier's one probability per row, the threshold at
/// which class 1 is predicted.
/// </summary>
internal sealed record VersionMetadata(
    DateTimeOffset? TrainingDate = null,
    string? DatasetVersion = null,
    Dictionary<string, double>? Metrics = null,
    List<FeatureSchema>? Features = null,
    BaselineStatistics? Baseline = null,
    Lineage? Lineage = null,
    string? Description = null,
    List<string>? Tags = null,
    ServingSettings? Serving = null,
    List<string>? Classes = null,
    PredictionSettings? Prediction = null);

/// <summary>
/// Where the workers read a prediction: <c>output</c> names the model output (default: chosen from the outputs'
/// shapes, see docs/streams.md); <c>threshold</c>, for a one-probability-per-row output and two <c>classes</c>,
/// predicts <c>classes[1]</c> at or above it and <c>classes[0]</c> below.
/// </summary>
internal sealed record PredictionSettings(string? Output = null, double? Threshold = null);

/// <summary>
/// How workers may serve the version. <c>maxBatchSize</c>: the most rows merged into one run (0: never merge;
/// absent: the worker's own limit). Carried to workers in each <c>DeploymentRoute</c> of the routing table.
/// </summary>
internal sealed record ServingSettings(int? MaxBatchSize = null)
{
    public const int MaxBatchSizeLimit = 4096;

    /// <summary>
    /// <c>serving.maxBatchSize</c> of stored (already validated) metadata JSON, or null when it sets none. Stored as
    /// given, so a number may be a JSON string ("8"), which the API's web JSON rules accept.
    /// </summary>
    public static int? MaxBatchSizeOf(JsonElement metadata)
    {
        if (metadata.ValueKind != JsonValueKind.Object
            || !metadata.TryGetProperty("serving", out var serving) || serving.ValueKind != JsonValueKind.Object
            || !serving.TryGetProperty("maxBatchSize", out var size))
        {
            return null;
        }

        return size.ValueKind switch
        {
            JsonValueKind.Number when size.TryGetInt32(out var number) => number,
            JsonValueKind.String when int.TryParse(size.GetString(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var text) => text,
            _ => null,
        };
    }
}

/// <summary><c>type</c>: numeric or categorical; <c>role</c>: feature (default), target or identifier.</summary>
internal sealed record FeatureSchema(string Name, string Type, string? Role = null);

/// <summary>Training-time distributions: per feature, and of the model's predictions.</summary>
internal sealed record BaselineStatistics(
    long? Rows = null,
    Dictionary<string, Distribution>? Features = null,
    Distribution? Predictions = null);

/// <summary>
/// A numeric distribution (<c>binEdges</c> strictly increasing, <c>counts</c> one longer: below the
/// first edge, between edges, above the last) or a categorical one (<c>frequencies</c> per category).
/// </summary>
internal sealed record Distribution(
    List<double>? BinEdges = null,
    List<double>? Counts = null,
    Dictionary<string, double>? Frequencies = null);

internal sealed record Lineage(
    int? ParentVersion = null,
    string? DataSnapshotHash = null,
    string? Trainer = null);
