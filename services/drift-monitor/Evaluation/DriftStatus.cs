using Orbit.Contracts.Drift;

namespace Orbit.DriftMonitor;

/// <summary>A version's status in the API: an alert level, or why it is not scored.</summary>
internal static class DriftStatus
{
    public const string InsufficientData = "insufficient_data";
    public const string Unmapped = "unmapped";

    public static string Of(AlertLevel level) => level switch
    {
        AlertLevel.Warning => "warning",
        AlertLevel.Critical => "critical",
        _ => "ok",
    };

    public static AlertLevel Parse(string level) => level switch
    {
        "warning" => AlertLevel.Warning,
        "critical" => AlertLevel.Critical,
        _ => AlertLevel.Ok,
    };
}
