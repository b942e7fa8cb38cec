namespace Orbit.Contracts.Rollouts;

/// <summary>
/// What one gateway mirrored from a model's stable version to its shadow during one short window, and how the two
/// answers compared: the evidence a shadow rollout is judged on. Counts are per mirrored request unless named rows
/// or values. A request is <see cref="Compared"/> when both versions answered and the answers had the same output
/// and shape; <see cref="Incomparable"/> when both answered but they could not be lined up.
/// </summary>
/// <param name="Mirrored">Copies sent to the shadow.</param>
/// <param name="Skipped">Copies not sent because the gateway already had its limit of mirrors in flight.</param>
/// <param name="StableErrors">Mirrored requests that stable failed (any answer but a result).</param>
/// <param name="ShadowErrors">Mirrored requests that the shadow failed, timed out on or refused.</param>
/// <param name="ClassifiedRows">Rows compared as class labels (argmax, threshold or label outputs).</param>
/// <param name="AgreedRows">Of those, rows where both versions gave the same label.</param>
/// <param name="NumericValues">Values compared as numbers (regression and score outputs).</param>
/// <param name="AbsDiffSum">Sum of |stable − shadow| over those values.</param>
/// <param name="StableLatencySampleMs">A uniform sample of stable's latencies on mirrored requests it answered.</param>
/// <param name="ShadowLatencySampleMs">The same for the shadow.</param>
public sealed record ShadowWindowObserved(
    string TenantId,
    string ModelName,
    int StableVersion,
    int ShadowVersion,
    string Source,
    DateTimeOffset WindowStart,
    DateTimeOffset WindowEnd,
    long Mirrored,
    long Skipped,
    long StableErrors,
    long ShadowErrors,
    long Compared,
    long Incomparable,
    long ClassifiedRows,
    long AgreedRows,
    long NumericValues,
    double AbsDiffSum,
    IReadOnlyList<double> StableLatencySampleMs,
    IReadOnlyList<double> ShadowLatencySampleMs);
