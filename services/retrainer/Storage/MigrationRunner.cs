using System.Data.Common;
using System.Reflection;
using Dapper;

namespace Orbit.Retrainer.Storage;

/// <summary>
/// Applies the engine's plain-SQL migrations (embedded <c>Storage/Migrations/{engine}/NNNN_name.sql</c>)
/// in order, each in its own transaction with its row in <c>retrainer_schema_migrations</c>.
/// </summary>
internal sealed partial class MigrationRunner(RetrainerDatabase database, TimeProvider time, ILogger<MigrationRunner> logger)
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
            // Two retrainers starting together must not both migrate.
            await connection.ExecuteAsync("SELECT pg_advisory_lock(7291083)");
        }

        try
        {
            await connection.ExecuteAsync(
                "CREATE TABLE IF NOT EXISTS retrainer_schema_migrations (version TEXT PRIMARY KEY, applied_at_ms BIGINT NOT NULL)");
            var applied = (await connection.QueryAsync<string>("SELECT version FROM retrainer_schema_migrations")).ToHashSet(StringComparer.Ordinal);
            var done = new List<string>();
            foreach (var (version, sql) in Scripts(database.Engine))
            {
                if (applied.Contains(version))
                {
                    continue;
                }

                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await connection.ExecuteAsync(sql, transaction: transaction);
                await connection.ExecuteAsync(
                    "INSERT INTO retrainer_schema_migrations (version, applied_at_ms) VALUES (@version, @at)",
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
                await connection.ExecuteAsync("SELECT pg_advisory_unlock(7291083)");
            }
        }
    }

    /// <summary>The engine's migrations in order: (version, sql).</summary>
    public static IEnumerable<(string Version, string Sql)> Scripts(SqlEngine engine)
    {
        var assembly = Assembly.GetExecutingAssembly();
        var prefix = $"Orbit.Retrainer.Storage.Migrations.{engine.ToString().ToLowerInvariant()}.";
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
            yield return (name[prefix.Length..^".sql".Length], reader.ReadToEnd());
        }
    }

    [LoggerMessage(EventId = RetrainerLogEvents.Applied, Level = LogLevel.Information, Message = "Applied migration {Version} to {Store}")]
    private static partial void LogApplied(ILogger logger, string version, string store);
}
