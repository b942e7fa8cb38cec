using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Orbit.Storage;

/// <summary>
/// A service's own store: an embedded SQLite file (WAL, set by <see cref="SqlMigrationRunner"/>) by default, PostgreSQL
/// when a connection string is given. Both take the same parameterized SQL through Dapper; where the dialects differ,
/// the caller asks <see cref="Engine"/>. Each service derives its own type, so its stores ask for exactly its database.
/// </summary>
public abstract class SqlDatabase : IDisposable
{
    private readonly string _connectionString;
    private readonly NpgsqlDataSource? _postgres;

    /// <param name="postgres">A PostgreSQL connection string; null or blank for SQLite.</param>
    /// <param name="sqlitePath">The SQLite file, used when <paramref name="postgres"/> is blank; its directory is created.</param>
    /// <param name="foreignKeys">Whether SQLite enforces foreign keys (PostgreSQL always does).</param>
    protected SqlDatabase(string? postgres, string sqlitePath, bool foreignKeys = false)
    {
        if (!string.IsNullOrWhiteSpace(postgres))
        {
            Engine = SqlEngine.Postgres;
            _connectionString = postgres;
            _postgres = NpgsqlDataSource.Create(postgres);
            Description = "postgresql";
        }
        else
        {
            Engine = SqlEngine.Sqlite;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(sqlitePath))!);
            _connectionString = new SqliteConnectionStringBuilder
            {
                DataSource = sqlitePath,
                ForeignKeys = foreignKeys,
                Pooling = true,
                DefaultTimeout = 30,
            }.ToString();
            Description = "sqlite:" + sqlitePath;
        }
    }

    public SqlEngine Engine { get; }

    /// <summary>Which store this is, without credentials.</summary>
    public string Description { get; }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        DbConnection connection = _postgres is not null ? _postgres.CreateConnection() : new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public void Dispose()
    {
        _postgres?.Dispose();
        GC.SuppressFinalize(this);
    }
}
