using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Orbit.Storage;

public static class SqlStoreRegistration
{
    /// <summary>
    /// The service's database (as itself and as <see cref="SqlDatabase"/>), its migrations and runner, and a readiness
    /// check that reads the migrations table. The caller decides when the runner runs (hosted, or from its start-up).
    /// </summary>
    public static IServiceCollection AddSqlStore<TDatabase>(this IServiceCollection services, MigrationSet migrations, string[] readinessTags)
        where TDatabase : SqlDatabase
    {
        services.AddSingleton<TDatabase>();
        services.AddSingleton<SqlDatabase>(sp => sp.GetRequiredService<TDatabase>());
        services.AddSingleton(migrations);
        services.AddSingleton<SqlMigrationRunner>();
        services.AddHealthChecks().AddCheck<StoreHealthCheck>("store", tags: readinessTags, timeout: TimeSpan.FromSeconds(3));
        return services;
    }

    private sealed class StoreHealthCheck(SqlDatabase database, MigrationSet migrations) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await using var connection = await database.OpenAsync(cancellationToken);
                await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {migrations.Table}");
                return HealthCheckResult.Healthy(database.Description);
            }
            catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
            {
                return new HealthCheckResult(context.Registration.FailureStatus, database.Description, ex);
            }
        }
    }
}
