using System.ComponentModel.DataAnnotations;

namespace Orbit.Gateway.Serving;

/// <summary><c>Orbit:Gateway:ServingWindows</c>: how the gateway reports what each version served, for canary analysis.</summary>
internal sealed class ServingWindowOptions
{
    public const string Section = "Orbit:Gateway:ServingWindows";

    /// <summary>How often a window closes and is published; shorter than the shortest rollout interval.</summary>
    [Range(0.1, 300)]
    public double WindowSeconds { get; set; } = 5;

    /// <summary>Latencies kept per version and window (a uniform sample beyond that).</summary>
    [Range(1, 100_000)]
    public int LatencySampleSize { get; set; } = 1000;
}
