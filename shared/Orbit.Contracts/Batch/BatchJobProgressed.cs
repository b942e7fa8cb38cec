namespace Orbit.Contracts.Batch;

/// <summary>Published by the registry as a job's chunks complete (at most about once a second per job).</summary>
public sealed record BatchJobProgressed(
    string JobId,
    string TenantId,
    string ModelName,
    long RowsDone,
    long RowsTotal,
    long RowsFailed,
    double RowsPerSecond,
    double? EtaSeconds,
    DateTimeOffset At);
