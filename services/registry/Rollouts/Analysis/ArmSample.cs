namespace Orbit.Registry.Rollouts.Analysis;

/// <summary>
/// What one version served during one analysis interval, never blended with the other arm.
/// <see cref="LatenciesMs"/> is a sample of the requests' latencies (every request, or a uniform reservoir).
/// <see cref="Labelled"/>/<see cref="Correct"/> come from ground truth where outcomes arrive;
/// <see cref="DriftLevel"/> is the version's drift state, null when nobody reported one.
/// </summary>
internal sealed record ArmSample(
    int Version,
    long Requests,
    long Errors,
    IReadOnlyList<double> LatenciesMs,
    long Labelled = 0,
    long Correct = 0,
    string? DriftLevel = null)
{
    public static ArmSample Empty(int version) => new(version, 0, 0, []);
}
