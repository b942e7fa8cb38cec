using System.Text.Json.Serialization;

namespace Orbit.Registry.Rollouts.Analysis;

[JsonConverter(typeof(JsonStringEnumConverter<Verdict>))]
internal enum Verdict
{
    Pass,
    Fail,
    Inconclusive,
}

/// <summary>One metric's judgement in one interval, with everything needed to say why.</summary>
/// <param name="Candidate">The candidate's value (rate, p99 in ms, accuracy, or drift level as 0/1/2).</param>
/// <param name="Stable">Stable's value, the same way.</param>
/// <param name="Margin">The tolerance the test allowed the candidate.</param>
/// <param name="PValue">The p-value the verdict rests on (non-inferiority's for a pass, harm's for a fail); null when no test ran.</param>
internal sealed record MetricResult(
    string Metric,
    string Test,
    double Candidate,
    double Stable,
    double Margin,
    long CandidateSamples,
    long StableSamples,
    double? PValue,
    Verdict Verdict,
    string Reason);
