using System.Globalization;
using System.Text.Json;
using Orbit.Contracts.Registry;
using Orbit.Contracts.Wire;

namespace Orbit.InferenceWorker.Statistics;

/// <summary>
/// Builds a <see cref="VersionProfile"/> from a version's metadata and signature. A feature is the input
/// of the same name (shape <c>[batch]</c> or <c>[batch,1]</c>), or else column k of the model's only 2-D
/// input, k being its position among the metadata's <c>role: feature</c> entries (role defaults to feature).
/// Without a <c>features</c> list the baseline's feature names, in order, stand for it.
/// </summary>
internal static class VersionProfileBuilder
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static VersionProfile Build(JsonElement metadata, ModelSignature signature)
    {
        var meta = metadata.ValueKind == JsonValueKind.Object ? metadata.Deserialize<Metadata>(Json) ?? new Metadata() : new Metadata();
        var baseline = meta.Baseline?.Features ?? [];
        var names = meta.Features is { } declared
            ? declared.Where(f => f.Role is null or "feature").Select(f => f.Name).ToList()
            : [.. baseline.Keys];

        var prediction = PredictionFor(meta, signature.Outputs);
        var tracked = new List<TrackedFeature>();
        for (var k = 0; k < names.Count; k++)
        {
            if (baseline.GetValueOrDefault(names[k]) is not { } distribution)
            {
                continue;
            }

            tracked.Add(distribution.BinEdges is { } edges
                ? new TrackedFeature(names[k], k, [.. edges], null)
                : new TrackedFeature(names[k], k, null, [.. (distribution.Frequencies ?? []).Keys]));
        }

        var hasBaseline = tracked.Count > 0 || prediction?.Kind is not null;
        var (columns, unmapped) = Map(names, signature.Inputs);
        return unmapped is null
            ? new VersionProfile(names, columns, tracked, prediction, hasBaseline, null)
            : new VersionProfile([], [], [], prediction, hasBaseline, unmapped);
    }

    private static (List<FeatureColumn> Columns, string? Unmapped) Map(List<string> names, IReadOnlyList<SignatureTensor> inputs)
    {
        var columns = new List<FeatureColumn>(names.Count);
        var matrices = inputs.Where(i => i.Shape.Count == 2).ToList();
        for (var k = 0; k < names.Count; k++)
        {
            var name = names[k];
            if (inputs.FirstOrDefault(i => i.Name == name) is { } own)
            {
                if (!OneValuePerRow(own))
                {
                    return ([], $"input '{name}' has shape [{string.Join(",", own.Shape)}]; a feature's own input must be [batch] or [batch,1]");
                }

                columns.Add(new FeatureColumn(name, own.Name, 0));
                continue;
            }

            if (matrices.Count != 1)
            {
                return ([], $"feature '{name}' is not an input of the model, and the model has {matrices.Count} 2-D inputs, not one whose columns the features could be");
            }

            var matrix = matrices[0];
            if (int.TryParse(matrix.Shape[1], NumberStyles.None, CultureInfo.InvariantCulture, out var width) && k >= width)
            {
                return ([], $"feature '{name}' is feature {k + 1} of {names.Count}, but input '{matrix.Name}' has {width} columns");
            }

            columns.Add(new FeatureColumn(name, matrix.Name, k));
        }

        return (columns, null);
    }

    /// <summary>
    /// The output a prediction is read from (only the metadata's <c>prediction.output</c> when it names one): for a categorical prediction baseline (or <c>classes</c>), the first
    /// floating-point <c>[batch, classes]</c> output (argmax), else the first one-label-per-row integer or string
    /// output; for a numeric baseline, the first one-number-per-row output. Without either, the first output, only logged.
    /// </summary>
    private static PredictionReader? PredictionFor(Metadata meta, IReadOnlyList<SignatureTensor> outputs)
    {
        if (meta.Prediction?.Output is { } named)
        {
            // The metadata names the output: only it is considered (one the model lacks leaves nothing to read).
            outputs = [.. outputs.Where(o => o.Name == named)];
        }

        if (outputs.Count == 0)
        {
            return null;
        }

        var threshold = meta.Classes is { Count: 2 } ? meta.Prediction?.Threshold : null;
        var baseline = meta.Baseline?.Predictions;
        var categories = baseline?.Frequencies?.Keys.ToList();
        if (baseline?.BinEdges is { } edges && outputs.FirstOrDefault(o => OneValuePerRow(o) && IsNumber(o)) is { } numeric)
        {
            return new PredictionReader(numeric.Name, PredictionKind.Numeric, [.. edges], null, meta.Classes, threshold);
        }

        if (categories is not null || meta.Classes is not null)
        {
            if (outputs.FirstOrDefault(o => o.Shape.Count == 2 && o.Shape[1] != "1" && IsFloat(o)) is { } scores)
            {
                return new PredictionReader(scores.Name, PredictionKind.Argmax, null, categories, meta.Classes);
            }

            if (outputs.FirstOrDefault(o => OneValuePerRow(o) && (IsInteger(o) || Datatype(o) == "BYTES")) is { } label)
            {
                return new PredictionReader(label.Name, PredictionKind.Label, null, categories, meta.Classes);
            }
        }

        return new PredictionReader(outputs[0].Name, null, null, null, meta.Classes, threshold);
    }

    private static bool OneValuePerRow(SignatureTensor tensor) => tensor.Shape.Count == 1 || (tensor.Shape.Count == 2 && tensor.Shape[1] == "1");

    private static string Datatype(SignatureTensor tensor) => OipDatatypes.FromOnnxName(tensor.Datatype);

    private static bool IsFloat(SignatureTensor tensor) => Datatype(tensor) is "FP32" or "FP64" or "FP16" or "BF16";

    private static bool IsInteger(SignatureTensor tensor) => Datatype(tensor) is "INT8" or "INT16" or "INT32" or "INT64" or "UINT8" or "UINT16" or "UINT32" or "UINT64";

    private static bool IsNumber(SignatureTensor tensor) => IsFloat(tensor) || IsInteger(tensor);

    private sealed record Metadata(List<Feature>? Features = null, Baseline? Baseline = null, List<string>? Classes = null, Prediction? Prediction = null);

    private sealed record Prediction(string? Output = null, double? Threshold = null);

    private sealed record Feature(string Name, string? Type = null, string? Role = null);

    private sealed record Baseline(Dictionary<string, Distribution>? Features = null, Distribution? Predictions = null);

    private sealed record Distribution(List<double>? BinEdges = null, Dictionary<string, double>? Frequencies = null);
}
