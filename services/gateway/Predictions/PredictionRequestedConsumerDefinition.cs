using MassTransit;
using Microsoft.Extensions.Options;
using Orbit.Contracts.Wire;
using Orbit.Hosting.Errors;

namespace Orbit.Gateway.Predictions;

/// <summary>
/// The durable queue <c>orbit.predictions.pending</c>: as many predictions at once as
/// <see cref="PredictionOptions.Concurrency"/>; a prediction no worker could take is retried with
/// growing pauses (<see cref="PredictionOptions.MaxAttempts"/>), then recorded as failed by the consumer.
/// </summary>
internal sealed class PredictionRequestedConsumerDefinition : ConsumerDefinition<PredictionRequestedConsumer>
{
    private readonly PredictionOptions _options;

    public PredictionRequestedConsumerDefinition(IOptions<PredictionOptions> options)
    {
        _options = options.Value;
        EndpointName = PredictionAddresses.Pending;
        ConcurrentMessageLimit = _options.Concurrency;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<PredictionRequestedConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.ConfigureConsumeTopology = false;
        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.PrefetchCount = _options.Concurrency;
        }

        var interval = TimeSpan.FromMilliseconds(_options.RetryIntervalMilliseconds);
        endpointConfigurator.UseMessageRetry(r =>
        {
            r.Ignore<MessageValidationException>();
            r.Exponential(_options.MaxAttempts - 1, interval, interval * 16, interval);
        });
    }
}
