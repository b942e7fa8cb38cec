namespace Orbit.Routing;

/// <summary>The routing module's log event ids (9100–9199).</summary>
internal static class RoutingEvents
{
    public const int Refreshed = 9101;
    public const int RefreshFailed = 9102;
    public const int ApplyFailed = 9103;
    public const int RefreshRequested = 9104;
}
