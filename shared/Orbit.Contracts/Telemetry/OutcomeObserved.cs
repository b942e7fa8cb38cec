namespace Orbit.Contracts.Telemetry;

/// <summary>
/// Ground truth for an earlier prediction, joined to it by <see cref="RequestId"/>. A classifier's
/// outcome is a <see cref="Label"/>; a regressor's is a <see cref="Value"/>.
/// </summary>
public sealed record OutcomeObserved(
    string TenantId,
    string ModelName,
    string RequestId,
    DateTimeOffset ObservedAt,
    string? Label = null,
    double? Value = null);
