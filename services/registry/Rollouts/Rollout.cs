using Orbit.Contracts.Rollouts;
using Orbit.Registry.Rollouts.Analysis;

namespace Orbit.Registry.Rollouts;

/// <summary>A rollout as stored: its configuration, where it stands, and how it ended.</summary>
internal sealed record Rollout(
    string Id,
    string TenantId,
    string Model,
    int StableVersion,
    int CandidateVersion,
    string Strategy,
    IReadOnlyList<int> Steps,
    int BakeSeconds,
    int IntervalSeconds,
    RolloutAnalysis Analysis,
    string State,
    StepProgress Progress,
    DateTimeOffset EvaluatedAt,
    DateTimeOffset StartedAt,
    string StartedBy,
    DateTimeOffset? EndedAt = null,
    string? Reason = null)
{
    public const string Canary = "canary";
    public const string Running = "running";
    public const string Paused = "paused";
    public const string Promoted = "promoted";
    public const string RolledBack = "rolled-back";
    public const string Aborted = "aborted";

    public int Weight => Steps[Progress.Step];

    public bool OnLastStep => Progress.Step == Steps.Count - 1;

    public bool Active => State is Running or Paused;

    public TimeSpan Bake => TimeSpan.FromSeconds(BakeSeconds);

    public TimeSpan Interval => TimeSpan.FromSeconds(IntervalSeconds);

    public Rollout Ended(string state, string reason, DateTimeOffset at) => this with { State = state, Reason = reason, EndedAt = at };
}

/// <summary>One evaluation as stored.</summary>
internal sealed record RolloutDecision(
    DateTimeOffset At,
    int Step,
    int Weight,
    DateTimeOffset IntervalStart,
    DateTimeOffset IntervalEnd,
    string Verdict,
    RolloutAction Action,
    string Reason,
    IReadOnlyList<MetricResult> Metrics);
