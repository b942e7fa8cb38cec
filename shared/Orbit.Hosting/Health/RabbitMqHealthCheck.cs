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
            : new HealthCheckResult(context.Registration.FailureStatus, health.Description, health.Exception);
        return Task.FromResult(result);
    }
}
