namespace Orbit.Retrainer.Api;

/// <summary>One attempt as <c>GET /v1/retrains/{model}</c> shows it.</summary>
internal sealed record AttemptView(
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
    string? RequestedBy)
{
    public static AttemptView From(Storage.RetrainAttempt a) => new(
        a.Id, a.Model, a.Trigger, a.Detail, a.Status, a.Reason, a.CreatedAt, a.StartedAt, a.FinishedAt, a.StableVersion,
        a.CandidateVersion, a.CandidateMetrics, a.StableMetrics, a.SnapshotHash, a.Trainer, a.RequestedBy);
}

/// <summary>The body of <c>POST /v1/retrains/{model}</c> (every field optional).</summary>
internal sealed record RetrainRequestBody(string? Reason = null, bool ShuffleLabels = false, bool ForcePastGate = false);

internal sealed record AttemptPage(IReadOnlyList<AttemptView> Items, string? NextCursor);
