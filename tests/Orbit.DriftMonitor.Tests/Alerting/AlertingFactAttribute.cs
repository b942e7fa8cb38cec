namespace Orbit.DriftMonitor.Tests.Alerting;

/// <summary>Runs only where Debian's prometheus and prometheus-alertmanager are installed; otherwise skipped with the reason.</summary>
internal sealed class AlertingFactAttribute : FactAttribute
{
    public const string Prometheus = "/usr/bin/prometheus";
    public const string Alertmanager = "/usr/bin/prometheus-alertmanager";

    public AlertingFactAttribute()
    {
        var missing = new[] { Prometheus, Alertmanager }.Where(p => !File.Exists(p)).ToList();
        if (missing.Count > 0)
        {
            Skip = $"{string.Join(" and ", missing)} missing: run `./orbit deps` (installs prometheus and prometheus-alertmanager).";
        }
    }
}
