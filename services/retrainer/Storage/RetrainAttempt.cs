namespace Orbit.Retrainer.Storage;

/// <summary>
/// Statuses of an attempt: accepted ones go pending → running → failed | rejected | registered; deferred ones (a cooldown)
/// become pending when it ends, or skipped if a version was registered meanwhile; the others are skipped at once.
/// </summary>
internal static class AttemptStatus
{
    public const string Pending = "pending";
    public const string Deferred = Contracts.Retraining.RetrainAttempted.Deferred;
    public const string Running = "running";
    public const string Skipped = Contracts.Retraining.RetrainAttempted.Skipped;
    public const string Failed = Contracts.Retraining.RetrainAttempted.Failed;
    public const string Rejected = Contracts.Retraining.RetrainAttempted.Rejected;
    public const string Registered = Contracts.Retraining.RetrainAttempted.Registered;
}

/// <summary>One trigger and what became of it (a row of <c>retrain_attempts</c>).</summary>
internal sealed record RetrainAttempt
{
    public required string Id { get; init; }

    public required string TenantId { get; init; }

    public required string Model { get; init; }

    /// <summary><c>drift</c>, <c>accuracy</c>, <c>schedule</c> or <c>request</c>.</summary>
    public required string Trigger { get; init; }

    /// <summary>What the trigger said (the drifting feature and its score, the requester's reason…).</summary>
    public required string Detail { get; init; }

    public string? RequestedBy { get; init; }

    public bool ShuffleLabels { get; init; }

    public bool ForceGate { get; init; }

    public required string Status { get; init; }

    public string? Reason { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    public int? StableVersion { get; init; }

    public int? CandidateVersion { get; init; }

    public IReadOnlyDictionary<string, double>? CandidateMetrics { get; init; }

    public IReadOnlyDictionary<string, double>? StableMetrics { get; init; }

    public string? SnapshotHash { get; init; }

    public string? Trainer { get; init; }
}
