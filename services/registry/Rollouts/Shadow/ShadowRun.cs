using System.Text.Json.Serialization;
using Orbit.Contracts.Rollouts;
using Orbit.Registry.Rollouts.Analysis;
using Orbit.Registry.Rollouts.Experiments;

namespace Orbit.Registry.Rollouts.Shadow;

/// <summary>
/// A shadow rollout's own part, stored with the rollout: its settings, the gateways' shadow windows folded in up to
/// <see cref="CollectedTo"/>, and once it ended its verdict and findings.
/// </summary>
/// <param name="MaxMeanAbsDiff">The largest mean |stable − shadow| on numeric outputs that passes; null: reported, not judged.</param>
internal sealed record ShadowRun(
    int MirrorPercent,
    int DurationSeconds,
    double AgreementThreshold,
    double? MaxMeanAbsDiff,
    bool PromoteOnPass,
    DateTimeOffset EndsAt,
    DateTimeOffset CollectedTo,
    ShadowTally Tally,
    string? Verdict = null,
    IReadOnlyList<string>? Findings = null);

/// <summary>
/// What was mirrored and compared so far. <see cref="Stable"/> and <see cref="Shadow"/> count mirrored requests, their
/// failures, and a uniform reservoir of their latencies on those same requests.
/// </summary>
internal sealed record ShadowTally(
    long Mirrored,
    long Skipped,
    long Compared,
    long Incomparable,
    long ClassifiedRows,
    long AgreedRows,
    long NumericValues,
    double AbsDiffSum,
    ArmTally Stable,
    ArmTally Shadow)
{
    public static ShadowTally Empty(int stable, int shadow) => new(0, 0, 0, 0, 0, 0, 0, 0, ArmTally.Empty(stable, 100), ArmTally.Empty(shadow, 0));

    [JsonIgnore]
    public double? Agreement => ClassifiedRows == 0 ? null : (double)AgreedRows / ClassifiedRows;

    [JsonIgnore]
    public double? MeanAbsDiff => NumericValues == 0 ? null : AbsDiffSum / NumericValues;

    [JsonIgnore]
    public double? StableErrorRate => Mirrored == 0 ? null : (double)Stable.Errors / Mirrored;

    [JsonIgnore]
    public double? ShadowErrorRate => Mirrored == 0 ? null : (double)Shadow.Errors / Mirrored;

    /// <summary>This tally with one gateway window added; latencies past <paramref name="capacity"/> go into the reservoirs at random.</summary>
    public ShadowTally Add(ShadowWindowObserved w, int capacity) => this with
    {
        Mirrored = Mirrored + w.Mirrored,
        Skipped = Skipped + w.Skipped,
        Compared = Compared + w.Compared,
        Incomparable = Incomparable + w.Incomparable,
        ClassifiedRows = ClassifiedRows + w.ClassifiedRows,
        AgreedRows = AgreedRows + w.AgreedRows,
        NumericValues = NumericValues + w.NumericValues,
        AbsDiffSum = AbsDiffSum + w.AbsDiffSum,
        Stable = Stable.Add(new ArmSample(Stable.Version, w.Mirrored, w.StableErrors, w.StableLatencySampleMs), capacity),
        Shadow = Shadow.Add(new ArmSample(Shadow.Version, w.Mirrored, w.ShadowErrors, w.ShadowLatencySampleMs), capacity),
    };
}
