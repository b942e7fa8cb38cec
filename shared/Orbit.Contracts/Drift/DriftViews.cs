namespace Orbit.Contracts.Drift;

/// <summary>
/// <c>GET /v1/drift/{model}</c>: every version the drift monitor has seen traffic for. <see cref="UnknownOutcomes"/>: outcomes
/// whose request id matched no logged prediction in time; <see cref="PendingOutcomes"/>: outcomes still waiting for theirs.
/// </summary>
public sealed record DriftModelView(string TenantId, string ModelName, IReadOnlyList<DriftVersionView> Versions, long UnknownOutcomes = 0, long PendingOutcomes = 0);

/// <summary>
/// <c>GET /v1/drift/{model}/versions/{v}</c>. <see cref="Status"/>: <c>ok</c>, <c>warning</c>, <c>critical</c>,
/// <c>insufficient_data</c> (fewer rows than the minimum in the last window) or <c>unmapped</c> (with <see cref="Reason"/>).
/// </summary>
public sealed record DriftVersionView(
    string TenantId,
    string ModelName,
    int ModelVersion,
    string Status,
    string? Reason,
    long SampleSize,
    int WindowSeconds,
    DateTimeOffset? EvaluatedAt,
    IReadOnlyList<FeatureDriftView> Features,
    IReadOnlyList<DriftAlertView> Alerts,
    AccuracyView? Accuracy = null,
    AccuracySeriesView? AccuracySeries = null);

/// <summary>
/// Accuracy over time: one point per evaluation pass (the latest <c>SeriesPoints</c>, oldest first). <see cref="Warning"/>
/// and <see cref="Critical"/> are the relative degradations that alert, as in <see cref="AccuracyView.Degradation"/>:
/// for <c>accuracy</c> the level lies at <c>expected × (1 − x)</c>, for an error metric at <c>expected × (1 + x)</c>.
/// </summary>
public sealed record AccuracySeriesView(double Warning, double Critical, IReadOnlyList<AccuracyView> Points);

/// <summary>
/// Rolling accuracy (classifiers) or MAE and RMSE (regressors) over the latest joined outcomes, against the version
/// metadata's <c>metrics</c>. <see cref="Metric"/> is the one compared (<c>accuracy</c>, <c>rmse</c> or <c>mae</c>);
/// <see cref="Degradation"/> is the relative loss against <see cref="Expected"/> that the tiers apply to.
/// </summary>
public sealed record AccuracyView(
    string Metric,
    double? Value,
    double? Expected,
    double? Degradation,
    string Level,
    long SampleSize,
    double? Accuracy,
    double? Mae,
    double? Rmse,
    string? Reason,
    DateTimeOffset? At = null);

/// <summary>
/// One feature's latest evaluation: the test that drives its alert state (<see cref="Test"/>, e.g. <c>psi</c> or
/// <c>ks_pvalue</c>) with its thresholds, every score, both histograms, and its time series.
/// </summary>
public sealed record FeatureDriftView(
    string Feature,
    string Kind,
    string Level,
    string Test,
    double? Value,
    double Warning,
    double Critical,
    IReadOnlyDictionary<string, double?> Scores,
    long SampleSize,
    HistogramView Live,
    HistogramView Baseline,
    IReadOnlyList<ScorePointView> Series);

/// <summary>A histogram: numeric bins over <see cref="Edges"/> (one more count than edges), or counts per category.</summary>
public sealed record HistogramView(IReadOnlyList<double>? Edges, IReadOnlyList<double>? Counts, IReadOnlyDictionary<string, double>? Categories);

/// <summary>One evaluation of one feature, for charts.</summary>
public sealed record ScorePointView(DateTimeOffset At, string Level, long SampleSize, IReadOnlyDictionary<string, double?> Scores);

/// <summary>A state change, with the numbers that caused it.</summary>
public sealed record DriftAlertView(
    string Feature,
    string Metric,
    string From,
    string To,
    double Value,
    double Threshold,
    long SampleSize,
    DateTimeOffset At);
