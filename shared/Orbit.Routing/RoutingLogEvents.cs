namespace Orbit.Routing;

/// <summary>Every log event id of the routing module (9100–9199), in one place.</summary>
internal static class RoutingLogEvents
{
    public const int Refreshed = 9101;
    public const int RefreshFailed = 9102;
    public const int ApplyFailed = 9103;
    public const int RefreshRequested = 9104;
    public const int TableUnreadable = 9105;
}
