namespace Orbit.DriftMonitor;

/// <summary>Every log event id of the drift monitor (6000–6999), in one place.</summary>
internal static class DriftMonitorLogEvents
{
    public const int Migrated = 6001;
    public const int IngestResumed = 6101;
    public const int MessageRejected = 6102;
    public const int IngestFailed = 6103;
    public const int RegistryUnavailable = 6104;
    public const int VersionUnmapped = 6105;
    public const int Evaluated = 6201;
    public const int EvaluationFailed = 6202;
    public const int StateChanged = 6203;
    public const int PublishFailed = 6204;
    public const int AccuracyResumed = 6301;
    public const int AccuracyFailed = 6302;
    public const int AccuracyChanged = 6303;
    public const int AccuracyWindowLost = 6304;
}
