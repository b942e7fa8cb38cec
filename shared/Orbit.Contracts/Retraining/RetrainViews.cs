namespace Orbit.Contracts.Retraining;

/// <summary>One retrain attempt as <c>GET /v1/retrains/{model}[/{id}]</c> shows it.</summary>
public sealed record AttemptView(
    string Id,
    string Model,
    string Trigger,
    string Detail,
    string Status,
    string? Reason,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    int? StableVersion,
    int? CandidateVersion,
    IReadOnlyDictionary<string, double>? CandidateMetrics,
    IReadOnlyDictionary<string, double>? StableMetrics,
    string? DataSnapshotHash,
    string? Trainer,
    string? RequestedBy);

public sealed record AttemptPage(IReadOnlyList<AttemptView> Items, string? NextCursor);

/// <summary>The body of <c>POST /v1/retrains/{model}</c> (every field optional).</summary>
public sealed record RetrainRequestBody(string? Reason = null, bool ShuffleLabels = false, bool ForcePastGate = false);
