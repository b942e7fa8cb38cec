using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;
using Orbit.Hosting;

namespace Orbit.DriftMonitor.Storage;

/// <summary>
/// The monitor's own store (stream offsets, windows, alert states, scores): embedded SQLite (WAL) by default,
/// PostgreSQL when <c>Orbit:DriftMonitor:Postgres</c> is set. Both take the same parameterized SQL through Dapper.
/// </summary>
internal sealed class DriftDatabase : IDisposable
{
    private readonly string _connectionString;
    private readonly NpgsqlDataSource? _postgres;

    public DriftDatabase(IOptions<DriftMonitorOptions> options, OrbitServiceInfo service)
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
            var path = Path.Combine(service.DataDirectory, "drift-monitor.db");
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
