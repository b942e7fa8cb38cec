using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Orbit.Routing;

namespace Orbit.InferenceWorker.Serving;

/// <summary>Ready once the routing tables were read from Redis, and only with a registry key to download models.</summary>
internal sealed class ServingReadinessCheck(ServingCoordinator coordinator, RoutingTables routes, RoutingRefresher refresher, IOptions<WorkerOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!options.Value.CanDownload)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy(
                "Orbit:Worker:RegistryKey (environment Orbit__Worker__RegistryKey) is not set: this worker cannot download models"));
        }

        if (!routes.Loaded)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy(
                refresher.LastError is { } error ? $"Routing tables not read from Redis yet: {error}" : "Routing tables not read from Redis yet"));
        }

        return Task.FromResult(HealthCheckResult.Healthy($"serving {coordinator.Queues.Count} models"));
    }
}
