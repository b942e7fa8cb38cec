using MassTransit;

namespace Orbit.InferenceWorker.BatchChunks;

/// <summary>
/// Queue <c>batch.{tenant}.{model}</c>: two chunks taken at a time, run one at a time per model (<see cref="ChunkTurns"/>;
/// a chunk is hundreds of rows), reached by name only, and never retried in memory: a worker that dies mid-chunk
/// leaves it unacknowledged, so RabbitMQ gives it to another worker.
/// </summary>
internal sealed class BatchChunkConsumerDefinition : ConsumerDefinition<BatchChunkConsumer>
{
    public BatchChunkConsumerDefinition() => ConcurrentMessageLimit = 2;

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<BatchChunkConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.ConfigureConsumeTopology = false;
        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            // The next chunk is at hand when this one ends, and no more sits here while another worker is idle.
            rabbit.PrefetchCount = 3;
        }
    }
}
