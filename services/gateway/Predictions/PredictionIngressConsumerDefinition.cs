using MassTransit;
using Orbit.Contracts.Wire;
using Orbit.Hosting.Messaging;

namespace Orbit.Gateway.Predictions;

/// <summary>
/// The queue <c>orbit.predictions.requests</c>, bound to the exchange of the same name that outside
/// publishers use. Bound by name only (not by message type: gateways' own inference requests never
/// land here). Invalid messages go straight to the error queue, without their API key headers; an unreachable
/// registry or Redis is retried.
/// </summary>
internal sealed class PredictionIngressConsumerDefinition : ConsumerDefinition<PredictionIngressConsumer>
{
    public PredictionIngressConsumerDefinition()
    {
        EndpointName = PredictionAddresses.Requests;
        ConcurrentMessageLimit = 32;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<PredictionIngressConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.ConfigureConsumeTopology = false;
        endpointConfigurator.PublishFaults = false;
        ApiKeyHeaderScrubber.Configure(endpointConfigurator);
        endpointConfigurator.UseEventRetry(context);
    }
}
