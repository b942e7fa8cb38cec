namespace Orbit.Contracts.Drift;

/// <summary>
/// Ground truth for one row of an earlier prediction, joined with <see cref="PredictionLogged"/> by
/// <see cref="RequestId"/> and <see cref="Row"/>. Published on the <c>orbit.outcomes</c> stream by the
/// gateway (<c>POST /v1/outcomes</c>) or by any upstream system. Exactly one of <see cref="Label"/>
/// (classifiers) and <see cref="Value"/> (regressors) is set.
/// </summary>
public sealed record OutcomeObserved(
    string RequestId,
    string TenantId,
    string ModelName,
    DateTimeOffset ObservedAt,
    int Row = 0,
    string? Label = null,
    double? Value = null);
