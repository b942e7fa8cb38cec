using Microsoft.Extensions.Options;
using Orbit.Hosting;

namespace Orbit.DriftMonitor.Storage;

/// <summary>
/// The monitor's own store (stream offsets, windows, alert states, scores): <c>drift-monitor.db</c> (SQLite) in the
/// data directory, or PostgreSQL when <c>Orbit:DriftMonitor:Postgres</c> is set; its migrations table is its own.
/// </summary>
internal sealed class DriftDatabase(IOptions<DriftMonitorOptions> options, OrbitServiceInfo service)
    : SqlDatabase(options.Value.Postgres, Path.Combine(service.DataDirectory, "drift-monitor.db"))
{
    public static readonly MigrationSet Migrations = new(typeof(DriftDatabase).Assembly, "Orbit.DriftMonitor.Storage.Migrations", "drift_schema_migrations", 7291002);
}
