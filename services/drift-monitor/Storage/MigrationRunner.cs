using System.Reflection;
using Dapper;

namespace Orbit.DriftMonitor.Storage;

/// <summary>
/// Applies the engine's plain-SQL migrations (embedded <c>Storage/Migrations/{engine}/NNNN_name.sql</c>) in order,
/// each in its own transaction with its row in <c>drift_schema_migrations</c>.
/// </summary>
internal sealed partial class MigrationRunner(DriftDatabase database, TimeProvider time, ILogger<MigrationRunner> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        if (database.Engine == SqlEngine.Sqlite)
        {
            await connection.ExecuteAsync("PRAGMA journal_mode=WAL;");
        }
        else
        {
            await connection.ExecuteAsync("SELECT pg_advisory_lock(7291002)");
        }

        try
        {
            await connection.ExecuteAsync("CREATE TABLE IF NOT EXISTS drift_schema_migrations (version TEXT PRIMARY KEY, applied_at_ms BIGINT NOT NULL)");
            var applied = (await connection.QueryAsync<string>("SELECT version FROM drift_schema_migrations")).ToHashSet(StringComparer.Ordinal);
            foreach (var (version, sql) in Scripts(database.Engine).Where(s => !applied.Contains(s.Version)))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await connection.ExecuteAsync(sql, transaction: transaction);
                await connection.ExecuteAsync(
                    "INSERT INTO drift_schema_migrations (version, applied_at_ms) VALUES (@version, @at)",
                    new { version, at = time.GetUtcNow().ToUnixTimeMilliseconds() }, transaction);
                await transaction.CommitAsync(cancellationToken);
                LogApplied(logger, version, database.Description);
            }
        }
        finally
        {
            if (database.Engine == SqlEngine.Postgres)
            {
                await connection.ExecuteAsync("SELECT pg_advisory_unlock(7291002)");
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static IEnumerable<(string Version, string Sql)> Scripts(SqlEngine engine)
    {
        var assembly = Assembly.GetExecutingAssembly();
        var prefix = $"Orbit.DriftMonitor.Storage.Migrations.{engine.ToString().ToLowerInvariant()}.";
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
            yield return (name[prefix.Length..^".sql".Length], reader.ReadToEnd());
        }
    }

    [LoggerMessage(EventId = DriftMonitorLogEvents.Migrated, Level = LogLevel.Information, Message = "Applied migration {Version} to {Store}")]
    private static partial void LogApplied(ILogger logger, string version, string store);
}
