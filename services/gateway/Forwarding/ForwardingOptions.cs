using System.ComponentModel.DataAnnotations;

namespace Orbit.Gateway.Forwarding;

/// <summary><c>Orbit:Gateway:Forwarding</c>: the model-management calls passed through to the registry.</summary>
internal sealed class ForwardingOptions
{
    public const string Section = "Orbit:Gateway:Forwarding";

    /// <summary>
    /// The largest request body the gateway passes on. The registry enforces its own, smaller limit
    /// (<c>Orbit:Registry:MaxArtifactBytes</c>) and answers 413 itself; this only has to be at least
    /// that limit plus the metadata part and multipart envelope (default: 2 GiB + 2 MiB).
    /// </summary>
    [Range(1024, long.MaxValue)]
    public long MaxRequestBodyBytes { get; set; } = (2L * 1024 * 1024 * 1024) + (2 * 1024 * 1024);

    /// <summary>How long the registry may stay silent while a call is forwarded (a large upload is validated before its answer).</summary>
    [Range(1, 86_400)]
    public int ActivityTimeoutSeconds { get; set; } = 600;
}
