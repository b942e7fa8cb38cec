namespace Orbit.InferenceWorker.Statistics;

/// <summary>
/// What the worker needs to summarise one version's traffic, built once from its registry record
/// (<see cref="VersionProfileBuilder"/>): where each metadata feature sits in the model's inputs, which
/// features have a baseline to count against, and how to read a prediction from the outputs.
/// </summary>
/// <param name="FeatureNames">The metadata's <c>role: feature</c> names in order (the prediction log's columns); empty when unmapped.</param>
/// <param name="Columns">Where each of <paramref name="FeatureNames"/> is read from, in the same order.</param>
/// <param name="Tracked">The features with a baseline, each with its accumulator's settings.</param>
/// <param name="Unmapped">Why the features could not be mapped to the inputs; null when they are.</param>
internal sealed record VersionProfile(
    IReadOnlyList<string> FeatureNames,
    IReadOnlyList<FeatureColumn> Columns,
    IReadOnlyList<TrackedFeature> Tracked,
    PredictionReader? Prediction,
    bool HasBaseline,
    string? Unmapped)
{
    public static readonly VersionProfile Nothing = new([], [], [], null, false, null);
}

/// <summary>A feature's values: column <see cref="Column"/> of input <see cref="Input"/> (column 0 of a feature's own input).</summary>
internal sealed record FeatureColumn(string Name, string Input, int Column);

/// <summary>A feature with a baseline: numeric with its bin edges, or categorical with its baseline categories.</summary>
internal sealed record TrackedFeature(string Name, int ColumnIndex, double[]? BinEdges, IReadOnlyList<string>? Categories)
{
    public bool IsNumeric => BinEdges is not null;
}

internal enum PredictionKind
{
    /// <summary>Class probabilities or scores, one row of classes per input row: the argmax is the predicted class.</summary>
    Argmax,

    /// <summary>One label per row (an integer class index or a string): the label is the predicted class.</summary>
    Label,

    /// <summary>One number per row: counted over the baseline's prediction bin edges.</summary>
    Numeric,
}

/// <summary>
/// How a prediction is read from output <see cref="Output"/>. <see cref="ClassNames"/> name class k (from the
/// metadata's <c>classes</c>); without them a class is named by its index. Null <see cref="Kind"/>: the output is
/// logged but not summarised (no prediction baseline). <see cref="Threshold"/> (with two class names): a binary
/// classifier's one probability per row names its predicted class, <c>ClassNames[1]</c> at or above it.
/// </summary>
internal sealed record PredictionReader(
    string Output,
    PredictionKind? Kind,
    double[]? BinEdges,
    IReadOnlyList<string>? BaselineCategories,
    IReadOnlyList<string>? ClassNames,
    double? Threshold = null)
{
    /// <summary>The class a probability predicts, when <see cref="Threshold"/> is set; NaN predicts nothing.</summary>
    public string? ClassAt(double probability) =>
        Threshold is { } threshold && ClassNames is { Count: 2 } names && !double.IsNaN(probability)
            ? names[probability >= threshold ? 1 : 0]
            : null;

    private static readonly string[] Indexes = [.. Enumerable.Range(0, 256).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    public string ClassName(long index) =>
        ClassNames is { } names && index >= 0 && index < names.Count ? names[(int)index]
        : index is >= 0 and < 256 ? Indexes[index]
        : index.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
