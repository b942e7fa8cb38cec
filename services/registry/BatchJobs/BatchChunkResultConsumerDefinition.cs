using MassTransit;
using Orbit.Hosting.Messaging;

namespace Orbit.Registry.BatchJobs;

/// <summary>
/// Workers' answers to chunks arrive on one queue of the registry's (<see cref="Orbit.Contracts.Wire.BatchAddresses.ResultsQueue"/>);
/// passing faults are retried. Several at once: each writes its own part, and the answers that arrive together are
/// counted in one transaction (<see cref="ChunkCompletions"/>).
/// </summary>
internal sealed class BatchChunkResultConsumerDefinition : ConsumerDefinition<BatchChunkResultConsumer>
{
    public BatchChunkResultConsumerDefinition()
    {
        EndpointName = Orbit.Contracts.Wire.BatchAddresses.ResultsQueue;
        ConcurrentMessageLimit = 8;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<BatchChunkResultConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        endpointConfigurator.UseEventRetry(context);
}
