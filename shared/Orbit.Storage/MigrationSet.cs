using System.Reflection;

namespace Orbit.Storage;

/// <summary>
/// A service's migrations: plain-SQL files embedded as <c>{ResourcePrefix}.{engine}.NNNN_name.sql</c> in
/// <see cref="Assembly"/>, recorded in <see cref="Table"/>; <see cref="AdvisoryLock"/> keeps two instances starting
/// together on one PostgreSQL database from both migrating. Services sharing a database use different tables and locks.
/// </summary>
public sealed record MigrationSet(Assembly Assembly, string ResourcePrefix, string Table, long AdvisoryLock)
{
    /// <summary>The engine's migrations in order: (version, sql).</summary>
    public IEnumerable<(string Version, string Sql)> Scripts(SqlEngine engine)
    {
        var prefix = $"{ResourcePrefix}.{engine.ToString().ToLowerInvariant()}.";
        foreach (var name in Assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var reader = new StreamReader(Assembly.GetManifestResourceStream(name)!);
            yield return (name[prefix.Length..^".sql".Length], reader.ReadToEnd());
        }
    }
}
