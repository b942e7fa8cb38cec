namespace Orbit.Retrainer.Attempts;

/// <summary>How an accepted attempt ended: <c>failed</c>, <c>rejected</c> (the gate) or <c>registered</c>, and why.</summary>
internal sealed record AttemptResult(
    string Status,
    string Reason,
    int? StableVersion = null,
    int? CandidateVersion = null,
    IReadOnlyDictionary<string, double>? CandidateMetrics = null,
    IReadOnlyDictionary<string, double>? StableMetrics = null,
    string? SnapshotHash = null,
    string? Trainer = null);

/// <summary>An expected way for an attempt to fail, with the reason to record.</summary>
internal sealed class AttemptFailedException(string reason) : Exception(reason);
