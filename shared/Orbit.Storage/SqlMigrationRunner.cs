using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Orbit.Storage;

/// <summary>
/// Applies a service's migrations (<see cref="MigrationSet"/>) in order, each in its own transaction with its row in
/// the set's table. As a hosted service it migrates at start, before anything reads the store.
/// </summary>
public sealed partial class SqlMigrationRunner(SqlDatabase database, MigrationSet migrations, TimeProvider time, ILogger<SqlMigrationRunner> logger) : IHostedService
{
    public async Task<IReadOnlyList<string>> ApplyAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        if (database.Engine == SqlEngine.Sqlite)
        {
            // WAL is a property of the file: set once, kept by every later connection.
            await connection.ExecuteAsync("PRAGMA journal_mode=WAL;");
        }
        else
        {
            await connection.ExecuteAsync("SELECT pg_advisory_lock(@key)", new { key = migrations.AdvisoryLock });
        }

        try
        {
            await connection.ExecuteAsync($"CREATE TABLE IF NOT EXISTS {migrations.Table} (version TEXT PRIMARY KEY, applied_at_ms BIGINT NOT NULL)");
            var applied = (await connection.QueryAsync<string>($"SELECT version FROM {migrations.Table}")).ToHashSet(StringComparer.Ordinal);
            var done = new List<string>();
            foreach (var (version, sql) in migrations.Scripts(database.Engine))
            {
                if (applied.Contains(version))
                {
                    continue;
                }

                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await connection.ExecuteAsync(sql, transaction: transaction);
                await connection.ExecuteAsync(
                    $"INSERT INTO {migrations.Table} (version, applied_at_ms) VALUES (@version, @at)",
                    new { version, at = time.GetUtcNow().ToUnixTimeMilliseconds() }, transaction);
                await transaction.CommitAsync(cancellationToken);
                LogApplied(logger, version, database.Description);
                done.Add(version);
            }

            return done;
        }
        finally
        {
            if (database.Engine == SqlEngine.Postgres)
            {
                await connection.ExecuteAsync("SELECT pg_advisory_unlock(@key)", new { key = migrations.AdvisoryLock });
            }
        }
    }

    Task IHostedService.StartAsync(CancellationToken cancellationToken) => ApplyAsync(cancellationToken);

    Task IHostedService.StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Applied migration {Version} to {Store}")]
    private static partial void LogApplied(ILogger logger, string version, string store);
}
