using MassTransit;
using Microsoft.Extensions.Options;
using Orbit.Hosting.Configuration;
using Orbit.Hosting.Health;
using Orbit.Hosting.Security;
using Orbit.Registry.Artifacts;
using Orbit.Registry.Audit;
using Orbit.Registry.Auth;
using Orbit.Registry.BatchJobs;
using Orbit.Registry.Deployments;
using Orbit.Registry.Models;
using Orbit.Registry.Outbox;
using Orbit.Registry.Rollouts;
using Orbit.Registry.Rollouts.Evidence;
using Orbit.Registry.Rollouts.Experiments;
using Orbit.Registry.Storage;

namespace Orbit.Registry;

internal static class RegistryModule
{
    /// <summary>
    /// The registry's consumers: workers' answers to batch-job chunks, and the evidence the rollout controller judges
    /// canaries on (gateways' serving windows, the drift monitor's accuracy windows and states).
    /// </summary>
    public static void AddRegistryConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddBatchJobConsumers();
        bus.AddConsumer<ServingWindowConsumer, ServingWindowConsumerDefinition>();
        bus.AddConsumer<ShadowWindowConsumer, ShadowWindowConsumerDefinition>();
        bus.AddConsumer<DriftLevelConsumer, DriftLevelConsumerDefinition>();
        bus.AddConsumer<AccuracyWindowConsumer, AccuracyWindowConsumerDefinition>();
    }

    public static WebApplicationBuilder AddRegistry(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<RegistryOptions>(RegistryOptions.Section);
        services.AddSingleton<IValidateOptions<RegistryOptions>, AdminKeyRule>();
        services.AddValidatedOptions<OutboxOptions>(OutboxOptions.Section);
        services.AddSqlStore<RegistryDatabase>(RegistryDatabase.Migrations, [HealthTags.Ready]);
        services.AddSingleton<ArtifactStore>();
        services.AddValidatedOptions<ArtifactOptions>(ArtifactOptions.Section);
        services.AddSingleton<OrphanCollector>();
        services.AddValidatedOptions<UploadValidationOptions>(UploadValidationOptions.Section);
        services.AddSingleton<IModelInspector, IsolatedModelInspector>();
        services.AddSingleton<ModelValidator>();
        services.AddSingleton<AdminBootstrap>();
        services.AddSingleton<ModelRepository>();
        services.AddSingleton<DeploymentRepository>();
        services.AddSingleton<RoutingTable>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddOrbitApiKeyAuth<KeyStore>();
        services.AddValidatedOptions<RolloutOptions>(RolloutOptions.Section);
        services.AddSingleton<RolloutStore>();
        services.AddSingleton<ServingEvidence>();
        services.AddSingleton<Orbit.Registry.Rollouts.Shadow.ShadowEvaluator>();
        services.AddSingleton<RolloutController>();
        services.AddSingleton<RolloutStarter>();
        services.AddSingleton<ExperimentStore>();
        services.AddSingleton<ExperimentController>();

        // Order matters: the store is migrated before anything reads it.
        services.AddHostedService<RegistryStartup>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher>());
        services.AddHostedService<RoutingResync>();
        services.AddHostedService(sp => sp.GetRequiredService<OrphanCollector>());
        services.AddHostedService(sp => sp.GetRequiredService<RolloutController>());
        services.AddHostedService(sp => sp.GetRequiredService<ExperimentController>());
        services.AddBatchJobs();

        services.AddOpenApi();
        return builder;
    }

    public static WebApplication MapRegistryApi(this WebApplication app)
    {
        app.MapOpenApi().RequireAuthorization(Policies.Viewer);
        app.MapAuthEndpoints();
        app.MapModelEndpoints();
        app.MapArtifactEndpoints();
        app.MapDeploymentEndpoints();
        app.MapRolloutEndpoints();
        app.MapExperimentEndpoints();
        app.MapProposalEndpoints();
        app.MapAuditEndpoints();
        app.MapBatchJobEndpoints();
        app.MapBatchInputEndpoints();
        return app;
    }
}
