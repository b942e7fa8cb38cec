using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;
using Orbit.Hosting;

namespace Orbit.Registry.Storage;

/// <summary>
/// The registry's metadata store: embedded SQLite (WAL) by default, PostgreSQL when a connection
/// string is configured. Both take the same parameterized SQL through Dapper; where the dialects
/// differ, this class says how.
/// </summary>
internal sealed class RegistryDatabase : IDisposable
{
    private readonly string _connectionString;
    private readonly NpgsqlDataSource? _postgres;

    public RegistryDatabase(IOptions<RegistryOptions> options, OrbitServiceInfo service)
    {
        var value = options.Value;
        if (!string.IsNullOrWhiteSpace(value.Postgres))
        {
            Engine = SqlEngine.Postgres;
            _connectionString = value.Postgres;
            _postgres = NpgsqlDataSource.Create(value.Postgres);
            Description = "postgresql";
        }
        else
        {
            Engine = SqlEngine.Sqlite;
            Directory.CreateDirectory(service.DataDirectory);
            var path = Path.Combine(service.DataDirectory, "registry.db");
            _connectionString = new SqliteConnectionStringBuilder
            {
                DataSource = path,
                ForeignKeys = true,
                Pooling = true,
                DefaultTimeout = 30,
            }.ToString();
            Description = "sqlite:" + path;
        }
    }

    public SqlEngine Engine { get; }

    /// <summary>Which store this is, without credentials.</summary>
    public string Description { get; }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        DbConnection connection = _postgres is not null
            ? _postgres.CreateConnection()
            : new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public void Dispose() => _postgres?.Dispose();
}
