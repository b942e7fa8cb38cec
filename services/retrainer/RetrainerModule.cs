using MassTransit;
using Microsoft.Extensions.Options;
using Orbit.Hosting.Configuration;
using Orbit.Hosting.Health;
using Orbit.Hosting.Security;
using Orbit.Hosting.Streams;
using Orbit.Retrainer.Api;
using Orbit.Retrainer.Attempts;
using Orbit.Retrainer.Auth;
using Orbit.Retrainer.Data;
using Orbit.Retrainer.Registration;
using Orbit.Retrainer.Storage;
using Orbit.Retrainer.Training;
using Orbit.Retrainer.Triggers;

namespace Orbit.Retrainer;

internal static class RetrainerModule
{
    /// <summary>The retrainer's consumers, for <c>AddOrbitDefaults</c>' bus.</summary>
    public static void AddRetrainerConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<DriftDetectedConsumer, DriftDetectedConsumerDefinition>();
        bus.AddConsumer<AccuracyDegradedConsumer, AccuracyDegradedConsumerDefinition>();
        bus.AddConsumer<RetrainRequestedConsumer, RetrainRequestedConsumerDefinition>();
    }

    public static WebApplicationBuilder AddRetrainer(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<RetrainerOptions>(RetrainerOptions.Section);
        services.AddOrbitStreams();
        services.AddHttpClient(RegistryClient.HttpClientName, (sp, http) =>
        {
            var url = sp.GetRequiredService<IOptions<RetrainerOptions>>().Value.RegistryUrl;
            http.BaseAddress = new Uri(url.EndsWith('/') ? url : url + "/");
            http.Timeout = TimeSpan.FromMinutes(5);
        });
        services.AddSqlStore<RetrainerDatabase>(RetrainerDatabase.Migrations, [HealthTags.Ready]);
        services.AddSingleton<RetrainStore>();
        services.AddSingleton<Metrics.RetrainMetrics>();
        services.AddSingleton<RetrainLease>();
        services.AddSingleton<AttemptSignal>();
        services.AddSingleton<TriggerIntake>();
        services.AddSingleton<ITriggerIntake>(sp => sp.GetRequiredService<TriggerIntake>());
        services.AddSingleton<LoggedDataReader>();
        services.AddSingleton<MlNetTrainer>();
        services.AddSingleton<ExternalTrainer>();
        services.AddSingleton<RegistryKeys>();
        services.AddSingleton<RegistryClient>();
        services.AddSingleton<RetrainPipeline>();
        services.AddSingleton<AttemptRunner>();
        services.AddOrbitApiKeyAuth<RegistryKeyResolver>();

        // Order matters: the store is migrated before anything reads it.
        services.AddHostedService<RetrainerStartup>();
        services.AddHostedService(sp => sp.GetRequiredService<AttemptRunner>());
        services.AddHostedService<RetrainScheduler>();
        return builder;
    }

    public static WebApplication MapRetrainerApi(this WebApplication app)
    {
        app.MapRetrainEndpoints();
        return app;
    }
}
