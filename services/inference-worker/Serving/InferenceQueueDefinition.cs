using MassTransit;

namespace Orbit.InferenceWorker.Serving;

/// <summary>
/// What both inference queues share: messages arrive on the queue's own exchange by name, never by
/// message type, and are never retried (a request carries its deadline: a retry would answer after
/// the caller gave up). Prefetch and concurrency are each queue's own.
/// </summary>
internal abstract class InferenceQueueDefinition<TConsumer> : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    private readonly int _prefetch;

    protected InferenceQueueDefinition(int prefetch)
    {
        _prefetch = prefetch;
        ConcurrentMessageLimit = prefetch;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<TConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.ConfigureConsumeTopology = false;
        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.PrefetchCount = _prefetch;
        }
    }
}
