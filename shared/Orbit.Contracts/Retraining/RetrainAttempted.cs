namespace Orbit.Contracts.Retraining;

/// <summary>
/// Published once per retrain trigger when the retrainer has decided it: <see cref="Outcome"/> is
/// <c>skipped</c> (debounced, cooling down, another retrain running, not critical…), <c>failed</c> (unknown model,
/// no labelled data, trainer crash/hang/invalid ONNX, registry refused), <c>rejected</c> (the gate failed: nothing
/// registered) or <c>registered</c> (<see cref="CandidateVersion"/> is the new version). <see cref="Reason"/> says why,
/// in words; the metrics are the candidate's and stable's on the same held-out rows.
/// </summary>
public sealed record RetrainAttempted(
    string AttemptId,
    string TenantId,
    string ModelName,
    string Trigger,
    string Outcome,
    string Reason,
    DateTimeOffset At,
    int? StableVersion = null,
    int? CandidateVersion = null,
    IReadOnlyDictionary<string, double>? CandidateMetrics = null,
    IReadOnlyDictionary<string, double>? StableMetrics = null,
    string? DataSnapshotHash = null)
{
    public const string Skipped = "skipped";
    public const string Deferred = "deferred";
    public const string Failed = "failed";
    public const string Rejected = "rejected";
    public const string Registered = "registered";
}
