namespace Orbit.Hosting.Metrics;

public sealed class MetricsOptions
{
    public const string Section = "Orbit:Metrics";

    /// <summary>
    /// A bearer token that lets a scraper on another host read <c>/metrics</c>. Without it only
    /// loopback callers may: metric labels name tenants' models.
    /// </summary>
    public string? ScrapeToken { get; set; }
}
