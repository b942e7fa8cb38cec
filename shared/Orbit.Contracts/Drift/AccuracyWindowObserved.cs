namespace Orbit.Contracts.Drift;

/// <summary>
/// Ground truth joined to one version's predictions, for outcomes that arrived during one window: published by
/// the drift monitor for the rollout controller, which compares a canary's accuracy with stable's per interval.
/// <see cref="Correct"/> counts classifier rows whose predicted label matched; regressors leave it 0 and give
/// the error sums.
/// </summary>
public sealed record AccuracyWindowObserved(
    string TenantId,
    string ModelName,
    int ModelVersion,
    DateTimeOffset WindowStart,
    DateTimeOffset WindowEnd,
    long Labelled,
    long Correct,
    double AbsoluteErrorSum = 0,
    double SquaredErrorSum = 0);
