namespace Orbit.Contracts.Drift;

/// <summary>
/// Published by the drift monitor when a model version's live window crosses a drift threshold
/// (after hysteresis). <see cref="Scores"/> holds every feature that drifted, worst first.
/// </summary>
public sealed record DriftDetected(
    string TenantId,
    string ModelName,
    int ModelVersion,
    DriftSeverity Severity,
    IReadOnlyList<FeatureDriftScore> Scores,
    DateTimeOffset WindowStart,
    DateTimeOffset WindowEnd,
    DateTimeOffset DetectedAt);

/// <summary>One feature's score; <see cref="Feature"/> is <c>__prediction__</c> for the output distribution.</summary>
public sealed record FeatureDriftScore(string Feature, DriftMetric Metric, double Score, double Threshold);
