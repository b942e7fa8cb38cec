using Microsoft.Extensions.Options;
using Orbit.Hosting;

namespace Orbit.Registry.Storage;

/// <summary>
/// The registry's metadata store: <c>registry.db</c> (SQLite, foreign keys on) in the data directory, or PostgreSQL
/// when <c>Orbit:Registry:Postgres</c> is set.
/// </summary>
internal sealed class RegistryDatabase(IOptions<RegistryOptions> options, OrbitServiceInfo service)
    : SqlDatabase(options.Value.Postgres, Path.Combine(service.DataDirectory, "registry.db"), foreignKeys: true)
{
    public static readonly MigrationSet Migrations = new(typeof(RegistryDatabase).Assembly, "Orbit.Registry.Storage.Migrations", "schema_migrations", 7291001);
}
