namespace Orbit.Contracts.Predictions;

/// <summary>
/// An asynchronous prediction that was accepted but could not be computed, published where
/// <see cref="PredictionCompleted"/> would be. <see cref="Reason"/> is a stable code (see
/// <see cref="PredictionFailureReasons"/>), <see cref="Detail"/> a sentence for people.
/// </summary>
public sealed record PredictionFailed(
    string PredictionId,
    string? RequestId,
    string TenantId,
    string ModelName,
    int? ModelVersion,
    string Reason,
    string Detail,
    DateTimeOffset FailedAt,
    string Status = PredictionStates.Failed);
