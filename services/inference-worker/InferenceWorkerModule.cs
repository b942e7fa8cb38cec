using MassTransit;
using Orbit.Hosting.Configuration;
using Orbit.Hosting.Health;
using Orbit.InferenceWorker.Batching;
using Orbit.InferenceWorker.Heartbeats;
using Orbit.InferenceWorker.Metrics;
using Orbit.InferenceWorker.Models;
using Orbit.InferenceWorker.Serving;

namespace Orbit.InferenceWorker;

internal static class InferenceWorkerModule
{
    /// <summary>
    /// The worker's consumers: inference requests (connected per model at run time) and
    /// deployment changes on a temporary queue of this instance's own, so every worker hears every change.
    /// </summary>
    public static void AddInferenceWorkerConsumers(this IBusRegistrationConfigurator bus)
    {
        var instance = Guid.NewGuid().ToString("N")[..12];
        bus.AddConsumer<InferenceConsumer>();
        bus.AddConsumer<InferenceBatchConsumer>();
        bus.AddConsumer<DeploymentChangedConsumer>().Endpoint(e =>
        {
            e.InstanceId = instance;
            e.Temporary = true;
        });
    }

    public static WebApplicationBuilder AddInferenceWorker(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<WorkerOptions>(WorkerOptions.Section);
        services.AddHttpClient(ArtifactClient.HttpClientName);

        services.AddSingleton<InferenceMetrics>();
        services.AddSingleton<WorkerStatistics>();
        services.AddSingleton<ArtifactClient>();
        services.AddSingleton<ModelCache>();
        services.AddSingleton<ModelStore>();
        services.AddSingleton<RoutingTables>();
        services.AddSingleton<BatcherPool>();
        services.AddSingleton<InferenceHandler>();
        services.AddSingleton<InferenceReplies>();
        services.AddSingleton<ServingCoordinator>();
        services.AddSingleton<HeartbeatBuilder>();
        services.AddSingleton<HeartbeatSignal>();

        // Started in this order, stopped in reverse: the heartbeat key goes first, then the queues stop and drain.
        services.AddHostedService<WorkerStartup>();
        services.AddHostedService(sp => sp.GetRequiredService<ServingCoordinator>());
        services.AddHostedService<IdleUnloader>();
        services.AddHostedService<HeartbeatService>();

        services.AddHealthChecks().AddCheck<ServingReadinessCheck>("serving", tags: [HealthTags.Ready]);
        return builder;
    }
}
