using System.ComponentModel.DataAnnotations;
using Orbit.Hosting.Streams;

namespace Orbit.Gateway.Outcomes;

/// <summary><c>Orbit:Gateway:Outcomes</c>: ground truth posted to <c>POST /v1/outcomes</c>.</summary>
internal sealed class OutcomeOptions
{
    public const string Section = "Orbit:Gateway:Outcomes";

    /// <summary>The stream outcomes are appended to (<c>orbit.outcomes</c>); tests use their own.</summary>
    [Required]
    public string Stream { get; set; } = StreamNames.Outcomes;

    /// <summary>The largest body accepted (bytes).</summary>
    [Range(1024, 256L * 1024 * 1024)]
    public long MaxBodyBytes { get; set; } = 8L * 1024 * 1024;

    /// <summary>The most outcomes one request may carry.</summary>
    [Range(1, 1_000_000)]
    public int MaxOutcomes { get; set; } = 10_000;
}
