namespace Orbit.Hosting;

/// <summary>Every log event id of Orbit.Hosting, in one place, so an id is never used twice and operators can look one up.</summary>
internal static class HostingLogEvents
{
    public const int Unhandled = 1000;
    public const int DependencyUnavailable = 1001;
    public const int HiddenDetail = 1002;

    // Streams (1100–1199).
    public const int StreamPublishFailed = 1100;
    public const int StreamRetentionDiffers = 1101;
    public const int StreamReadFailed = 1102;
    public const int StreamConsumerLost = 1103;
    public const int StreamResumed = 1104;
}
