using Microsoft.Extensions.Options;
using Orbit.Hosting;

namespace Orbit.Retrainer.Storage;

/// <summary>
/// The retrainer's store (attempts, stream positions): <c>retrainer.db</c> (SQLite) in the data directory, or PostgreSQL
/// when <c>Orbit:Retrainer:Postgres</c> is set; its migrations table is its own, so it can share a database.
/// </summary>
internal sealed class RetrainerDatabase(IOptions<RetrainerOptions> options, OrbitServiceInfo service)
    : SqlDatabase(options.Value.Postgres, Path.Combine(service.DataDirectory, "retrainer.db"))
{
    public static readonly MigrationSet Migrations = new(typeof(RetrainerDatabase).Assembly, "Orbit.Retrainer.Storage.Migrations", "retrainer_schema_migrations", 7291083);
}
