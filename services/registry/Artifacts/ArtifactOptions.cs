using System.ComponentModel.DataAnnotations;

namespace Orbit.Registry.Artifacts;

/// <summary><c>Orbit:Registry:Artifacts</c>: collection of objects no version references.</summary>
internal sealed class ArtifactOptions
{
    public const string Section = "Orbit:Registry:Artifacts";

    /// <summary>
    /// An unreferenced object younger than this is kept: an upload moves its object into place
    /// moments before its version row commits. Longer than any upload's validation time limit.
    /// </summary>
    [Range(1, 525_600)]
    public int OrphanGraceMinutes { get; set; } = 60;

    /// <summary>How often the store is swept for unreferenced objects.</summary>
    [Range(1, 10_080)]
    public int OrphanSweepMinutes { get; set; } = 15;
}
