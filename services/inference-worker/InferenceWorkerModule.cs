using MassTransit;
using Orbit.Hosting.Configuration;
using Orbit.Hosting.Health;
using Orbit.InferenceWorker.BatchChunks;
using Orbit.InferenceWorker.Batching;
using Orbit.InferenceWorker.Heartbeats;
using Orbit.InferenceWorker.Metrics;
using Orbit.InferenceWorker.Models;
using Orbit.InferenceWorker.Prefetch;
using Orbit.InferenceWorker.Serving;
using Orbit.InferenceWorker.Statistics;
using Orbit.Routing;

namespace Orbit.InferenceWorker;

internal static class InferenceWorkerModule
{
    /// <summary>
    /// The worker's consumers: inference requests (connected per model at run time), the routing
    /// module's deployment-change consumer, so every worker hears every change, and registrations,
    /// whose artifacts it prefetches.
    /// </summary>
    public static void AddInferenceWorkerConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<InferenceConsumer, InferenceConsumerDefinition>();
        bus.AddConsumer<InferenceBatchConsumer, InferenceBatchConsumerDefinition>();
        bus.AddConsumer<BatchChunkConsumer, BatchChunkConsumerDefinition>();
        bus.AddConsumer<ModelVersionRegisteredConsumer, ModelVersionRegisteredConsumerDefinition>();
        bus.AddRoutingConsumers();
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
        services.AddSingleton<ArtifactPrefetcher>();
        services.AddSingleton<BatcherPool>();
        services.AddSingleton<InferenceHandler>();
        services.AddSingleton<InferenceReplies>();
        services.AddSingleton<RealTimeBacklog>();
        services.AddSingleton<ChunkTurns>();
        services.AddSingleton<ServingCoordinator>();
        services.AddSingleton<HeartbeatBuilder>();
        services.AddSingleton<HeartbeatSignal>();

        // Started in this order, stopped in reverse: the heartbeat key goes first, then the queues stop and drain,
        // then the statistics of what they answered are published.
        services.AddWorkerStatistics();
        services.AddHostedService<WorkerStartup>();
        services.AddHostedService(sp => sp.GetRequiredService<ServingCoordinator>());
        // After the coordinator, so it stops first: no table is applied while the queues drain.
        services.AddDeploymentRouting<ServingCoordinator>();
        services.AddHostedService<IdleUnloader>();
        services.AddHostedService<HeartbeatService>();

        services.AddHealthChecks().AddCheck<ServingReadinessCheck>("serving", tags: [HealthTags.Ready]);
        return builder;
    }
}
