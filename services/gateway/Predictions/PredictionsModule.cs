using MassTransit;
using Orbit.Gateway.Predictions.Kafka;
using Orbit.Hosting.Configuration;

namespace Orbit.Gateway.Predictions;

internal static class PredictionsModule
{
    /// <summary>The pending queue (every gateway computes) and the plain-JSON RabbitMQ ingress.</summary>
    public static void AddPredictionConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<PredictionRequestedConsumer, PredictionRequestedConsumerDefinition>();
        bus.AddConsumer<PredictionIngressConsumer, PredictionIngressConsumerDefinition>();
    }

    public static WebApplicationBuilder AddPredictions(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<PredictionOptions>(PredictionOptions.Section);
        services.AddSingleton<PredictionStore>();
        services.AddSingleton<PredictionSubmitter>();
        services.AddSingleton<PredictionComputer>();
        services.AddSingleton<PredictionResults>();
        services.AddValidatedOptions<KafkaOptions>(KafkaOptions.Section);
        services.AddSingleton<KafkaRequestHandler>();
        services.AddHostedService<KafkaIngress>();
        return builder;
    }
}
