namespace Orbit.Contracts.Rollouts;

/// <summary>
/// A shadow rollout as <c>GET /v1/models/{name}/rollout</c> shows it: its settings, what was mirrored and compared so
/// far, and, once it ended, its verdict. Rates and means are null where nothing was counted.
/// </summary>
/// <param name="Verdict"><c>pass</c>, <c>fail</c> or <c>inconclusive</c> once the shadow completed; null while it runs.</param>
/// <param name="Agreement">Share of classified rows on which the shadow gave stable's label.</param>
/// <param name="MeanAbsDiff">Mean |stable − shadow| over numeric output values.</param>
public sealed record ShadowView(
    int MirrorPercent,
    int DurationSeconds,
    double AgreementThreshold,
    double? MaxMeanAbsDiff,
    double ErrorRateMargin,
    int MinSamples,
    bool PromoteOnPass,
    DateTimeOffset EndsAt,
    long Mirrored,
    long Skipped,
    long Compared,
    long Incomparable,
    long ClassifiedRows,
    double? Agreement,
    long NumericValues,
    double? MeanAbsDiff,
    double? StableErrorRate,
    double? ShadowErrorRate,
    ShadowLatencyView StableLatency,
    ShadowLatencyView ShadowLatency,
    string? Verdict,
    IReadOnlyList<string> Findings);

/// <summary>Latency percentiles in milliseconds over the sampled mirrored requests; null without samples.</summary>
public sealed record ShadowLatencyView(long Samples, double? P50Ms, double? P95Ms);
