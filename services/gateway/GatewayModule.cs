using MassTransit;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Orbit.Gateway.Auth;
using Orbit.Gateway.WebConsole;
using Orbit.Gateway.Fleet;
using Orbit.Gateway.Forwarding;
using Orbit.Gateway.Grpc;
using Orbit.Gateway.Inference;
using Orbit.Gateway.Predictions;
using Orbit.Gateway.Outcomes;
using Orbit.Gateway.RateLimiting;
using Orbit.Gateway.Serving;
using Orbit.Gateway.Shadow;
using Orbit.Hosting.Configuration;
using Orbit.Hosting.Health;
using Orbit.Hosting.Security;
using Orbit.Routing;

namespace Orbit.Gateway;

internal static class GatewayModule
{
    /// <summary>Every gateway hears every deployment change (the routing module's consumer), every key revocation and every worker heartbeat.</summary>
    public static void AddGatewayConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddRoutingConsumers();
        bus.AddConsumer<ApiKeyRevokedConsumer, ApiKeyRevokedConsumerDefinition>();
        bus.AddConsumer<WorkerHeartbeatConsumer, WorkerHeartbeatConsumerDefinition>();
        bus.AddPredictionConsumers();
    }

    public static WebApplicationBuilder AddGateway(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<GatewayOptions>(GatewayOptions.Section);
        services.AddOrbitApiKeyAuth<KeyValidator>();
        services.AddSingleton<UnknownKeyThrottle>();
        services.AddHttpClient(KeyValidator.HttpClientName, (sp, http) =>
        {
            http.BaseAddress = new Uri(sp.GetRequiredService<IOptions<GatewayOptions>>().Value.RegistryUrl);
            http.Timeout = TimeSpan.FromSeconds(5);
        });
        services.AddSingleton<TenantRateLimiter>();
        services.AddDeploymentRouting();
        services.AddSingleton<WorkerFleet>();
        services.AddHostedService(sp => sp.GetRequiredService<WorkerFleet>());
        services.AddSingleton<ModelSignatures>();
        services.AddSingleton<InferenceForwarder>();
        services.AddSingleton<GatewayMetrics>();
        services.AddSingleton<InferenceMetricsFilter>();
        services.AddValidatedOptions<ServingWindowOptions>(ServingWindowOptions.Section);
        services.AddSingleton<ServingWindows>();
        services.AddHostedService(sp => sp.GetRequiredService<ServingWindows>());
        services.AddValidatedOptions<ShadowOptions>(ShadowOptions.Section);
        services.AddSingleton<ShadowHints>();
        services.AddSingleton<ShadowMirror>();
        services.AddSingleton<ShadowWindows>();
        services.AddHostedService(sp => sp.GetRequiredService<ShadowWindows>());
        services.AddHttpForwarder();
        services.AddRegistryForwarding();
        builder.AddPredictions();
        builder.AddGatewayGrpc();
        services.AddOutcomes();
        services.AddHealthChecks().AddCheck<RoutingLoadedCheck>("routing", tags: [HealthTags.Ready]);
        return builder;
    }

    public static WebApplication MapGateway(this WebApplication app)
    {
        app.MapInferenceEndpoints();
        app.MapGatewayGrpc();
        app.MapFleetEndpoints();
        app.MapPredictionEndpoints();
        app.MapRegistryForwarding();
        app.MapServiceForwarding();
        app.MapOutcomeEndpoints();
        app.MapConsole();
        return app;
    }

    private sealed class RoutingLoadedCheck(RoutingTables routing) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(routing.Loaded
                ? HealthCheckResult.Healthy("routing tables loaded")
                : new HealthCheckResult(context.Registration.FailureStatus, "routing tables not yet read from Redis"));
    }
}
