using MassTransit;
using Microsoft.Extensions.Options;

namespace Orbit.InferenceWorker.Serving;

/// <summary>
/// A request carries its deadline, so it is never retried: a retry would answer after the caller
/// gave up. Prefetch and concurrency let the dynamic batcher see enough requests to fill batches.
/// The queues (<c>infer.{tenant}.{model}</c>) are connected at run time by the <see cref="ServingCoordinator"/>.
/// </summary>
internal sealed class InferenceConsumerDefinition : ConsumerDefinition<InferenceConsumer>
{
    private readonly int _prefetch;

    public InferenceConsumerDefinition(IOptions<WorkerOptions> options)
    {
        _prefetch = Math.Max(16, options.Value.MaxBatchSize * options.Value.Concurrency * 2);
        ConcurrentMessageLimit = _prefetch;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<InferenceConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        // Requests are sent to this queue's own exchange by name, never by message type.
        endpointConfigurator.ConfigureConsumeTopology = false;
        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.PrefetchCount = _prefetch;
        }
    }
}
