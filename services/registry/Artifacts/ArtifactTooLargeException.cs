namespace Orbit.Registry.Artifacts;

internal sealed class ArtifactTooLargeException(long limit)
    : Exception($"The model file is larger than the limit of {limit} bytes (Orbit:Registry:MaxArtifactBytes).")
{
    public long Limit { get; } = limit;
}
