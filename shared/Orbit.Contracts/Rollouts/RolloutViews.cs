namespace Orbit.Contracts.Rollouts;

/// <summary><c>POST /v1/models/{name}/rollout</c>: start moving traffic to a candidate version, or shadowing it.</summary>
/// <param name="Strategy"><c>canary</c> (the default) or <c>shadow</c>.</param>
/// <param name="Steps">Candidate weights in percent, increasing, ending at 100. Default 5, 25, 50, 100. Canary only.</param>
/// <param name="BakeSeconds">How long each step's checks must pass before the next. Canary only.</param>
/// <param name="IntervalSeconds">How often the candidate is compared with stable (a shadow: how often its tallies are stored).</param>
/// <param name="MirrorPercent">Shadow only: the share (1–100, default 100) of stable's requests copied to the candidate.</param>
/// <param name="DurationSeconds">Shadow only: how long the mirror runs before the verdict (default 600).</param>
/// <param name="AgreementThreshold">Shadow only: the least share of rows (0–1, default 0.95) on which the candidate must give stable's label to pass.</param>
/// <param name="PromoteOnPass">Shadow only: a passing shadow promotes the candidate to stable at once (default false: a person decides).</param>
/// <param name="MaxMeanAbsDiff">Shadow only: the largest mean |stable − shadow| on numeric outputs that passes; left out, it is reported, not judged.</param>
public sealed record StartRollout(
    int CandidateVersion,
    string? Strategy = null,
    IReadOnlyList<int>? Steps = null,
    int? BakeSeconds = null,
    int? IntervalSeconds = null,
    RolloutAnalysis? Analysis = null,
    int? MirrorPercent = null,
    int? DurationSeconds = null,
    double? AgreementThreshold = null,
    bool? PromoteOnPass = null,
    double? MaxMeanAbsDiff = null);

/// <summary>A rollout and its most recent decisions, newest first.</summary>
/// <param name="State"><c>running</c>, <c>paused</c>, <c>promoted</c>, <c>rolled-back</c>, <c>aborted</c>, or (a shadow) <c>completed</c>.</param>
/// <param name="Step">Index into <see cref="Steps"/> of the current (or last) step.</param>
/// <param name="Shadow">A shadow's settings, tallies so far and verdict; null for a canary.</param>
public sealed record RolloutView(
    string Id,
    string Model,
    int StableVersion,
    int CandidateVersion,
    string Strategy,
    IReadOnlyList<int> Steps,
    int Step,
    int Weight,
    string State,
    int BakeSeconds,
    int IntervalSeconds,
    RolloutAnalysis Analysis,
    DateTimeOffset StartedAt,
    string StartedBy,
    DateTimeOffset? EndedAt,
    string? Reason,
    IReadOnlyList<RolloutDecisionView> Decisions,
    ShadowView? Shadow = null);

/// <summary>One evaluation: the interval's per-metric judgements, the verdict, and what the controller did about it.</summary>
/// <param name="Verdict"><c>pass</c>, <c>fail</c>, <c>inconclusive</c>, or <c>unreadable</c> when the metrics could not be read.</param>
/// <param name="Action"><c>hold</c>, <c>advance</c>, <c>promote</c> or <c>rollback</c>.</param>
public sealed record RolloutDecisionView(
    long Id,
    DateTimeOffset At,
    int Step,
    int Weight,
    DateTimeOffset IntervalStart,
    DateTimeOffset IntervalEnd,
    string Verdict,
    string Action,
    string Reason,
    IReadOnlyList<RolloutMetricView> Metrics);

/// <summary>One metric's judgement with the numbers behind it.</summary>
/// <param name="Margin">The tolerance the test allowed the candidate.</param>
/// <param name="PValue">The p-value the verdict rests on; null where no test ran.</param>
public sealed record RolloutMetricView(
    string Metric,
    string Test,
    double Candidate,
    double Stable,
    double Margin,
    long CandidateSamples,
    long StableSamples,
    double? PValue,
    string Verdict,
    string Reason);

/// <summary>
/// <c>PUT /v1/models/{name}/rollout-policy</c>: what the registry does with a version the retrainer proposes
/// (<c>ModelVersionProposed</c>). <see cref="AutoStart"/> false leaves proposals for a person to roll out; the
/// other fields are those of <see cref="StartRollout"/>, the registry's defaults where left out.
/// </summary>
public sealed record RolloutPolicy(
    bool AutoStart = true,
    string? Strategy = null,
    IReadOnlyList<int>? Steps = null,
    int? BakeSeconds = null,
    int? IntervalSeconds = null,
    RolloutAnalysis? Analysis = null);

/// <summary><c>POST /v1/models/{name}/proposals</c>: put a registered version forward for production. <see cref="Reference"/> says who or what proposed it (a retrain attempt id).</summary>
public sealed record ProposeVersion(int Version, string? Reference = null);

/// <summary>Whether the proposal started a rollout, which, and why (not).</summary>
public sealed record ProposalAnswer(bool Started, string? RolloutId, string Reason);
