namespace Orbit.Contracts.Drift;

/// <summary>
/// One worker's summary of what one model version served during one window, published on the
/// <c>orbit.stats</c> stream. Windows from many workers merge by adding counts. <see cref="WindowId"/>
/// (worker id + sequence) lets a consumer recognise a window it has already counted.
/// </summary>
/// <param name="Features">Per feature name (the version metadata's <c>role: feature</c> entries that have a baseline).</param>
/// <param name="Predictions">The prediction summary, when the version's baseline has <c>predictions</c>.</param>
/// <param name="Unmapped">
/// Why the worker could not map the version's features to the model's inputs (then <see cref="Features"/> is empty);
/// null when they are mapped. The monitor shows the version as <c>unmapped</c> with this reason.
/// </param>
public sealed record FeatureStatsObserved(
    string WindowId,
    string TenantId,
    string ModelName,
    int ModelVersion,
    string WorkerId,
    DateTimeOffset WindowStart,
    DateTimeOffset WindowEnd,
    long Rows,
    IReadOnlyDictionary<string, FeatureWindow> Features,
    FeatureWindow? Predictions = null,
    string? Unmapped = null);

/// <summary>
/// Streamed statistics of one feature (or of the predictions) in one window.
/// Numeric: <see cref="BinCounts"/> over the baseline's bin edges (one more count than edges; bin index =
/// number of edges ≤ x), plus count, sum, sum of squares, min and max of the non-missing values.
/// Categorical: <see cref="Categories"/> (baseline categories, unseen ones by name up to a limit, the rest
/// under <c>__other__</c>).
/// </summary>
/// <param name="Kind"><c>numeric</c> or <c>categorical</c>.</param>
/// <param name="Count">Non-missing values.</param>
/// <param name="Missing">Missing or NaN values.</param>
public sealed record FeatureWindow(
    string Kind,
    long Count,
    long Missing,
    IReadOnlyList<long>? BinCounts = null,
    double Sum = 0,
    double SumOfSquares = 0,
    double? Min = null,
    double? Max = null,
    IReadOnlyDictionary<string, long>? Categories = null)
{
    public const string Numeric = "numeric";
    public const string Categorical = "categorical";
    public const string OtherCategory = "__other__";
}
