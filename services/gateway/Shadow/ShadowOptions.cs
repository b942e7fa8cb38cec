using System.ComponentModel.DataAnnotations;

namespace Orbit.Gateway.Shadow;

/// <summary><c>Orbit:Gateway:Shadow</c>: how the gateway mirrors stable's requests to a shadow version.</summary>
internal sealed class ShadowOptions
{
    public const string Section = "Orbit:Gateway:Shadow";

    /// <summary>Mirrored copies in flight at once, across models; a copy beyond it is not sent and counts as skipped.</summary>
    [Range(1, 100_000)]
    public int MaxInFlight { get; set; } = 64;

    /// <summary>How long a version's comparison hints (its metadata's <c>prediction</c> and <c>classes</c>) are not asked for again after the registry failed to give them.</summary>
    [Range(1, 3_600)]
    public int HintRetrySeconds { get; set; } = 30;
}
