using System.Text.Json.Serialization;

namespace Orbit.Contracts.Drift;

[JsonConverter(typeof(JsonStringEnumConverter<AlertLevel>))]
public enum AlertLevel
{
    Ok,
    Warning,
    Critical,
}

/// <summary>
/// Published once by the drift monitor when a feature's (or the predictions') alert state rises
/// (<see cref="Feature"/> is <c>__predictions__</c> for the predictions).
/// </summary>
public sealed record DriftDetected(
    string TenantId,
    string ModelName,
    int ModelVersion,
    string Feature,
    string Metric,
    double Value,
    double Threshold,
    AlertLevel Level,
    AlertLevel PreviousLevel,
    long SampleSize,
    DateTimeOffset At);

/// <summary>Published once when a feature's alert state falls (to <see cref="AlertLevel.Ok"/> or from critical to warning).</summary>
public sealed record DriftCleared(
    string TenantId,
    string ModelName,
    int ModelVersion,
    string Feature,
    string Metric,
    double Value,
    double ClearThreshold,
    AlertLevel Level,
    AlertLevel PreviousLevel,
    long SampleSize,
    DateTimeOffset At);

/// <summary>Published once when a version's rolling accuracy (or MAE/RMSE) enters a worse tier than its metadata's metrics allow.</summary>
public sealed record AccuracyDegraded(
    string TenantId,
    string ModelName,
    int ModelVersion,
    string Metric,
    double Value,
    double Expected,
    AlertLevel Level,
    AlertLevel PreviousLevel,
    long SampleSize,
    DateTimeOffset At);
