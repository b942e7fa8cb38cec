using MassTransit;

namespace Orbit.InferenceWorker.BatchChunks;

/// <summary>
/// Queue <c>batch.{tenant}.{model}</c>: one chunk at a time per model (a chunk is hundreds of rows), reached by
/// name only, and never retried in memory: a worker that dies mid-chunk leaves it unacknowledged, so RabbitMQ
/// gives it to another worker.
/// </summary>
internal sealed class BatchChunkConsumerDefinition : ConsumerDefinition<BatchChunkConsumer>
{
    public BatchChunkConsumerDefinition() => ConcurrentMessageLimit = 1;

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<BatchChunkConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.ConfigureConsumeTopology = false;
        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            // The next chunk is at hand when this one ends, and no more sits here while another worker is idle.
            rabbit.PrefetchCount = 2;
        }
    }
}
