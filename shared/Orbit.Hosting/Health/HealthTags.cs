namespace Orbit.Hosting.Health;

public static class HealthTags
{
    /// <summary>Checks with this tag decide <c>/health/ready</c>; a service tags its own store checks with it.</summary>
    public const string Ready = "orbit-ready";
}
