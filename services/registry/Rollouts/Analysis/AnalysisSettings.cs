namespace Orbit.Registry.Rollouts.Analysis;

/// <summary>How a canary is judged; stored with each rollout, so a change of defaults never alters one in flight.</summary>
/// <param name="Alpha">Significance level of every one-sided test.</param>
/// <param name="MinSamples">Below this many requests (or labelled outcomes) in either arm, a metric is inconclusive.</param>
/// <param name="ErrorRateMargin">How much higher (absolute) the candidate's error rate may be and still count as no worse.</param>
/// <param name="LatencyMargin">How much slower (relative: 0.1 = 10 %) the candidate may be.</param>
/// <param name="AccuracyMargin">How much lower (absolute) the candidate's accuracy may be.</param>
/// <param name="FailureLimit">Failing intervals within one step that roll the canary back.</param>
/// <param name="SourceErrorLimit">Intervals in a row whose metrics could not be read that roll it back.</param>
/// <param name="OnInconclusive"><c>hold</c> (wait for data) or <c>rollback</c>.</param>
internal sealed record AnalysisSettings(
    double Alpha = 0.05,
    int MinSamples = 50,
    double ErrorRateMargin = 0.01,
    double LatencyMargin = 0.10,
    double AccuracyMargin = 0.02,
    int FailureLimit = 2,
    int SourceErrorLimit = 4,
    string OnInconclusive = AnalysisSettings.Hold)
{
    public const string Hold = "hold";
    public const string Rollback = "rollback";
}
