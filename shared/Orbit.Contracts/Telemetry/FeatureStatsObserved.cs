namespace Orbit.Contracts.Telemetry;

/// <summary>
/// One worker's statistics for one model version over one time window, published to the
/// replayable statistics stream. Histograms use the version's baseline bin edges, so windows
/// from many workers merge by adding counts.
/// </summary>
public sealed record FeatureStatsObserved(
    string TenantId,
    string ModelName,
    int ModelVersion,
    string WorkerId,
    DateTimeOffset WindowStart,
    DateTimeOffset WindowEnd,
    long Rows,
    IReadOnlyList<FeatureWindowStats> Features,
    PredictionWindowStats Predictions);

/// <summary>
/// Statistics of one input feature. Numeric features fill <see cref="BinCounts"/> (one more
/// than the baseline's edges: under the first edge, between edges, over the last);
/// categorical ones fill <see cref="CategoryCounts"/>.
/// </summary>
public sealed record FeatureWindowStats(
    string Name,
    long Count,
    long Missing,
    double Sum,
    double SumOfSquares,
    double Min,
    double Max,
    long[]? BinCounts = null,
    IReadOnlyDictionary<string, long>? CategoryCounts = null);

/// <summary>The prediction distribution: bins for a regression output, class counts for a classifier.</summary>
public sealed record PredictionWindowStats(
    long Count,
    long[]? BinCounts = null,
    IReadOnlyDictionary<string, long>? ClassCounts = null);
