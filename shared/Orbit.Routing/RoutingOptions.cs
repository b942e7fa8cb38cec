using System.ComponentModel.DataAnnotations;

namespace Orbit.Routing;

public sealed class RoutingOptions
{
    public const string Section = "Orbit:Routing";

    /// <summary>
    /// How often the routing tables are re-read from Redis (seconds), in case a <c>DeploymentChanged</c>
    /// was missed; they are also re-read whenever the bus connection comes back.
    /// </summary>
    [Range(1, 86_400)]
    public int RefreshSeconds { get; set; } = 30;
}
