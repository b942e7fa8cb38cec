using System.Data.Common;

namespace Orbit.Registry.Storage;

internal static class SqlDialect
{
    /// <summary>Row lock for a read-modify-write inside a transaction. SQLite's write transactions already lock the database.</summary>
    public static string ForUpdate(DbConnection connection) => connection is Npgsql.NpgsqlConnection ? " FOR UPDATE" : "";
}
