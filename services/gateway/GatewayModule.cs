using MassTransit;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orbit.Gateway.Auth;
using Orbit.Gateway.Fleet;
using Orbit.Gateway.Forwarding;
using Orbit.Gateway.Inference;
using Orbit.Gateway.RateLimiting;
using Orbit.Gateway.Routing;
using Orbit.Hosting.Configuration;
using Orbit.Hosting.Health;

namespace Orbit.Gateway;

internal static class GatewayModule
{
    /// <summary>Every gateway hears every deployment change: its consumer has a temporary queue of its own.</summary>
    public static void AddGatewayConsumers(this IBusRegistrationConfigurator bus) =>
        bus.AddConsumer<DeploymentChangedConsumer>().Endpoint(e =>
        {
            e.InstanceId = Guid.NewGuid().ToString("N")[..12];
            e.Temporary = true;
        });

    public static WebApplicationBuilder AddGateway(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<GatewayOptions>(GatewayOptions.Section);
        services.AddGatewayAuth();
        services.AddSingleton<TenantRateLimiter>();
        services.AddSingleton<RoutingTable>();
        services.AddHostedService<RoutingTableLoader>();
        services.AddSingleton<WorkerFleet>();
        services.AddHostedService(sp => sp.GetRequiredService<WorkerFleet>());
        services.AddSingleton<ModelSignatures>();
        services.AddSingleton<InferenceForwarder>();
        services.AddSingleton<GatewayMetrics>();
        services.AddHttpForwarder();
        services.AddHealthChecks().AddCheck<RoutingLoadedCheck>("routing", tags: [HealthTags.Ready]);
        return builder;
    }

    public static WebApplication MapGateway(this WebApplication app)
    {
        app.MapInferenceEndpoints();
        app.MapFleetEndpoints();
        app.MapRegistryForwarding();
        return app;
    }

    private sealed class RoutingLoadedCheck(RoutingTable routing) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(routing.Loaded
                ? HealthCheckResult.Healthy("routing tables loaded")
                : new HealthCheckResult(context.Registration.FailureStatus, "routing tables not yet read from Redis"));
    }
}
