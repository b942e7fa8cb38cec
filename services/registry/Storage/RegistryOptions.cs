using System.ComponentModel.DataAnnotations;

namespace Orbit.Registry.Storage;

public sealed class RegistryOptions
{
    public const string Section = "Orbit:Registry";

    /// <summary>A PostgreSQL connection string; <c>ORBIT_POSTGRES</c> sets it too. Empty means embedded SQLite.</summary>
    public string? Postgres { get; set; }

    /// <summary>The largest accepted model file (default 2 GiB).</summary>
    [Range(1024, long.MaxValue)]
    public long MaxArtifactBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>The largest accepted metadata part of an upload.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxMetadataBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// The key the first start gives the <c>admin</c> tenant; <c>ORBIT_ADMIN_KEY</c> sets it too.
    /// Empty: a key is generated and written to <see cref="AdminKeyFile"/>.
    /// </summary>
    public string? AdminKey { get; set; }

    /// <summary>How often every routing table is rewritten into Redis, repairing a Redis that lost its data.</summary>
    [Range(1, 86_400)]
    public int RoutingResyncSeconds { get; set; } = 60;

    /// <summary>Where a generated admin key is written (mode 600). Relative paths are under the service's data directory (<c>Orbit:DataDirectory</c>).</summary>
    public string AdminKeyFile { get; set; } = "admin.key";
}
