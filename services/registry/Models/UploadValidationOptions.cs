using System.ComponentModel.DataAnnotations;

namespace Orbit.Registry.Models;

/// <summary>
/// <c>Orbit:Registry:Validation</c>: how the registry loads an upload before accepting it. Device and
/// threads should match the workers' (<c>Orbit:Worker:Device</c>, <c>Orbit:Worker:IntraOpThreads</c>).
/// </summary>
internal sealed class UploadValidationOptions
{
    public const string Section = "Orbit:Registry:Validation";

    /// <summary><c>cpu</c> or <c>cuda:N</c>, as the workers load.</summary>
    [Required]
    [RegularExpression("^(cpu|cuda(:[0-9]+)?)$", ErrorMessage = "must be cpu or cuda:N")]
    public string Device { get; set; } = "cpu";

    [Range(0, 256)]
    public int IntraOpThreads { get; set; } = 1;

    /// <summary>Uploads loaded at the same time; each holds a model's memory while it loads.</summary>
    [Range(1, 64)]
    public int MaxConcurrent { get; set; } = 2;

    /// <summary>Uploads that may wait for a slot; one more is answered 503 with Retry-After.</summary>
    [Range(0, 1024)]
    public int MaxQueued { get; set; } = 8;

    /// <summary>A load that takes longer is refused (422); it keeps its slot until it really ends.</summary>
    [Range(1, 3600)]
    public int TimeoutSeconds { get; set; } = 120;

    /// <summary>The Retry-After sent with a 503 when every slot and queue place is taken.</summary>
    [Range(1, 3600)]
    public int RetryAfterSeconds { get; set; } = 10;
}
