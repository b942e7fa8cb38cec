namespace Orbit.Contracts.Rollouts;

/// <summary>
/// How a canary is judged. Stored with each rollout, so changing a default never alters one in flight; any
/// field left out of a start request takes the default shown.
/// </summary>
/// <param name="Alpha">Significance level of every one-sided test.</param>
/// <param name="MinSamples">Below this many requests (or labelled outcomes) in either arm, a metric is inconclusive.</param>
/// <param name="ErrorRateMargin">How much higher (absolute) the candidate's error rate may be and still count as no worse.</param>
/// <param name="LatencyMargin">How much slower (relative: 0.1 = 10 %) the candidate may be.</param>
/// <param name="AccuracyMargin">How much lower (absolute) the candidate's accuracy may be.</param>
/// <param name="FailureLimit">Failing intervals within one step that roll the canary back.</param>
/// <param name="SourceErrorLimit">Intervals in a row whose metrics could not be read that roll it back.</param>
/// <param name="OnInconclusive"><c>hold</c> (wait for the data to decide) or <c>rollback</c>.</param>
public sealed record RolloutAnalysis(
    double Alpha = 0.05,
    int MinSamples = 50,
    double ErrorRateMargin = 0.01,
    double LatencyMargin = 0.10,
    double AccuracyMargin = 0.02,
    int FailureLimit = 2,
    int SourceErrorLimit = 4,
    string OnInconclusive = RolloutAnalysis.Hold)
{
    public const string Hold = "hold";
    public const string Rollback = "rollback";
}
