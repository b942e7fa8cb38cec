namespace Orbit.Contracts.Rollouts;

/// <summary>One arm of an experiment: a version and its share of traffic in percent.</summary>
public sealed record ExperimentArm(int Version, int Weight);

/// <summary>
/// <c>POST /v1/models/{name}/experiments</c>: a fixed split between the stable version (the control) and one or more
/// other versions for <see cref="DurationSeconds"/>, then a report.
/// </summary>
/// <param name="Arms">2 to 10 arms whose weights add up to 100; one of them must be the deployed stable version (the control).</param>
/// <param name="IntervalSeconds">How often the arms' serving evidence is added to the experiment's stored tallies.</param>
/// <param name="Alpha">Significance of the two-sided tests; the confidence intervals are at 1 − α.</param>
/// <param name="OnEnd"><c>control</c> (the default: all traffic back to the control when the time is up) or <c>keep</c> (the split stays).</param>
public sealed record StartExperiment(
    IReadOnlyList<ExperimentArm>? Arms,
    int? DurationSeconds,
    int? IntervalSeconds = null,
    double? Alpha = null,
    string? OnEnd = null);

/// <summary>An experiment and its report: live while it runs, final once it ended.</summary>
/// <param name="State"><c>running</c>, <c>completed</c> (its time was up), <c>stopped</c> (by a person) or <c>aborted</c> (the deployment was changed under it).</param>
/// <param name="Arms">The control first, then the other arms in the order they were given.</param>
public sealed record ExperimentView(
    string Id,
    string Model,
    string State,
    int ControlVersion,
    int DurationSeconds,
    int IntervalSeconds,
    double Alpha,
    string OnEnd,
    DateTimeOffset StartedAt,
    DateTimeOffset EndsAt,
    DateTimeOffset CollectedTo,
    string StartedBy,
    DateTimeOffset? EndedAt,
    string? Reason,
    IReadOnlyList<ExperimentArmReport> Arms);

/// <summary>What one arm served over the experiment so far, and, for an arm other than the control, how it differs from it.</summary>
/// <param name="Accuracy">Correct ÷ labelled where outcomes arrived; null without any.</param>
/// <param name="VsControl">One comparison per metric; empty for the control.</param>
public sealed record ExperimentArmReport(
    int Version,
    int Weight,
    bool Control,
    long Requests,
    long Errors,
    double ErrorRate,
    int LatencySamples,
    double LatencyP50Ms,
    double LatencyP99Ms,
    long Labelled,
    long Correct,
    double? Accuracy,
    IReadOnlyList<ExperimentComparison> VsControl);

/// <summary>
/// One metric of an arm against the control: the difference (arm − control), its confidence interval at 1 − α, and
/// the two-sided p-value of the named test. Null numbers mean the metric could not be compared (<see cref="Note"/> says why).
/// </summary>
public sealed record ExperimentComparison(
    string Metric,
    string Test,
    double? Difference,
    double? CiLow,
    double? CiHigh,
    double? PValue,
    bool Significant,
    string Note);
