using MassTransit;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Orbit.Hosting.Health;

/// <summary>Ready when the bus is connected to RabbitMQ and every receive endpoint is consuming.</summary>
internal sealed class RabbitMqHealthCheck(IBusControl bus) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var health = bus.CheckHealth();
        var result = health.Status == BusHealthStatus.Healthy
            ? HealthCheckResult.Healthy(health.Description)
            : new HealthCheckResult(context.Registration.FailureStatus, "RabbitMQ is not reachable or a receive endpoint is not consuming", health.Exception,
                new Dictionary<string, object> { ["detail"] = health.Description });
        return Task.FromResult(result);
    }
}
