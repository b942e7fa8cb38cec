using MassTransit;
using Microsoft.Extensions.Options;

namespace Orbit.InferenceWorker.Serving;

/// <summary>A gateway's coalesced group: like a single request, never retried; fewer, larger messages.</summary>
internal sealed class InferenceBatchConsumerDefinition : ConsumerDefinition<InferenceBatchConsumer>
{
    private readonly int _prefetch;

    public InferenceBatchConsumerDefinition(IOptions<WorkerOptions> options)
    {
        _prefetch = Math.Max(4, options.Value.Concurrency * 4);
        ConcurrentMessageLimit = _prefetch;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<InferenceBatchConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.ConfigureConsumeTopology = false;
        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.PrefetchCount = _prefetch;
        }
    }
}
