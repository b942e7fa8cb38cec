using Orbit.Contracts.Retraining;

namespace Orbit.Retrainer.Api;

internal static class AttemptViews
{
    public static AttemptView From(Storage.RetrainAttempt a) => new(
        a.Id, a.Model, a.Trigger, a.Detail, a.Status, a.Reason, a.CreatedAt, a.StartedAt, a.FinishedAt, a.StableVersion,
        a.CandidateVersion, a.CandidateMetrics, a.StableMetrics, a.SnapshotHash, a.Trainer, a.RequestedBy);
}
