using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;
using Orbit.Hosting;

namespace Orbit.Retrainer.Storage;

/// <summary>
/// The retrainer's store (attempts, stream positions): SQLite (<c>retrainer.db</c>, WAL) in the data directory by
/// default, PostgreSQL when <c>Orbit:Retrainer:Postgres</c> is set. Both take the same parameterized SQL through Dapper.
/// </summary>
internal sealed class RetrainerDatabase : IDisposable
{
    private readonly string _connectionString;
    private readonly NpgsqlDataSource? _postgres;

    public RetrainerDatabase(IOptions<RetrainerOptions> options, OrbitServiceInfo service)
    {
        if (!string.IsNullOrWhiteSpace(options.Value.Postgres))
        {
            Engine = SqlEngine.Postgres;
            _connectionString = options.Value.Postgres;
            _postgres = NpgsqlDataSource.Create(options.Value.Postgres);
            Description = "postgresql";
        }
        else
        {
            Engine = SqlEngine.Sqlite;
            Directory.CreateDirectory(service.DataDirectory);
            var path = Path.Combine(service.DataDirectory, "retrainer.db");
            _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 30 }.ToString();
            Description = "sqlite:" + path;
        }
    }

    public SqlEngine Engine { get; }

    public string Description { get; }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        DbConnection connection = _postgres is not null ? _postgres.CreateConnection() : new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public void Dispose() => _postgres?.Dispose();
}
