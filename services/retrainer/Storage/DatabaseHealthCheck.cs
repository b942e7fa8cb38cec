using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Orbit.Retrainer.Storage;

internal sealed class DatabaseHealthCheck(RetrainerDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM retrainer_schema_migrations");
            return HealthCheckResult.Healthy(database.Description);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, database.Description, ex);
        }
    }
}
