using System.ComponentModel.DataAnnotations;

namespace Orbit.Registry.Outbox;

public sealed class OutboxOptions
{
    public const string Section = "Orbit:Registry:Outbox";

    /// <summary>How long a dispatched outbox row is kept (for inspection) before it is deleted.</summary>
    [Range(1, 8_760)]
    public int RetentionHours { get; set; } = 24;

    /// <summary>How often dispatched rows older than the retention are deleted.</summary>
    [Range(1, 86_400)]
    public int PruneIntervalSeconds { get; set; } = 600;
}
