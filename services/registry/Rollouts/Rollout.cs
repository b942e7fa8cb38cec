using Orbit.Contracts.Rollouts;
using Orbit.Registry.Rollouts.Analysis;
using Orbit.Registry.Rollouts.Shadow;

namespace Orbit.Registry.Rollouts;

/// <summary>A rollout as stored: its configuration, where it stands, and how it ended. A shadow has no steps and carries <see cref="Shadow"/>.</summary>
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
    string? Reason = null,
    ShadowRun? Shadow = null)
{
    public const string Canary = "canary";
    public const string ShadowStrategy = "shadow";
    public const string Running = "running";
    public const string Paused = "paused";
    public const string Promoted = "promoted";
    public const string RolledBack = "rolled-back";
    public const string Aborted = "aborted";

    /// <summary>A shadow that ran its time and gave its verdict.</summary>
    public const string Completed = "completed";

    public int Weight => Steps.Count == 0 ? 0 : Steps[Progress.Step];

    public bool IsShadow => Strategy == ShadowStrategy;

    public bool OnLastStep => Steps.Count > 0 && Progress.Step == Steps.Count - 1;

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
