namespace Orbit.Contracts.Batch;

/// <summary>Published once when a job ends: <c>completed</c>, <c>failed</c> (with the reason) or <c>cancelled</c>.</summary>
public sealed record BatchJobFinished(
    string JobId,
    string TenantId,
    string ModelName,
    string State,
    long RowsDone,
    long RowsFailed,
    string? Reason,
    DateTimeOffset At);
