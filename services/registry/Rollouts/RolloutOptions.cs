using System.ComponentModel.DataAnnotations;

namespace Orbit.Registry.Rollouts;

/// <summary><c>Orbit:Registry:Rollouts</c>: the rollout controller's defaults; a start request may override the per-rollout ones.</summary>
internal sealed class RolloutOptions
{
    public const string Section = "Orbit:Registry:Rollouts";

    /// <summary>How often the controller looks for rollouts due an evaluation.</summary>
    [Range(0.05, 60)]
    public double TickSeconds { get; set; } = 1;

    /// <summary>Candidate weights of a canary that names none.</summary>
    [Required]
    [MinLength(1)]
    public int[] DefaultSteps { get; set; } = [5, 25, 50, 100];

    [Range(0, 86_400)]
    public int DefaultBakeSeconds { get; set; } = 300;

    [Range(1, 3_600)]
    public int DefaultIntervalSeconds { get; set; } = 60;

    /// <summary>How long serving windows are kept in memory for the intervals that read them.</summary>
    [Range(1, 1_440)]
    public int EvidenceRetentionMinutes { get; set; } = 30;

    /// <summary>How often an A/B experiment that names none folds its arms' evidence into its stored tallies.</summary>
    [Range(1, 3_600)]
    public int DefaultExperimentIntervalSeconds { get; set; } = 10;

    /// <summary>How long a shadow that names no <c>durationSeconds</c> mirrors traffic before its verdict.</summary>
    [Range(1, 30 * 86_400)]
    public int DefaultShadowSeconds { get; set; } = 600;

    /// <summary>The least share of rows on which a shadow must give stable's label, when its start request names none.</summary>
    [Range(0.0, 1.0)]
    public double DefaultShadowAgreement { get; set; } = 0.95;

    /// <summary>
    /// How far a shadow's and an experiment's tallies lag behind the clock, so that every gateway's window of a moment
    /// has arrived before that moment is folded in (a window folded past is never counted); the verdict or final report
    /// comes this long after the end. Longer than <c>Orbit:Gateway:ServingWindows:WindowSeconds</c>.
    /// </summary>
    [Range(0.0, 300.0)]
    public double WindowSettleSeconds { get; set; } = 10;

    public TimeSpan WindowSettle => TimeSpan.FromSeconds(WindowSettleSeconds);

    /// <summary>Latency samples kept per experiment arm (a uniform reservoir), for its percentiles and tests; a shadow keeps as many per version.</summary>
    [Range(10, 100_000)]
    public int ExperimentLatencySampleSize { get; set; } = 2000;
}
