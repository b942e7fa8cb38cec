using MassTransit;
using Orbit.Hosting.Messaging;

namespace Orbit.Routing;

/// <summary>
/// Every instance hears every deployment change: the consumer has a temporary queue of this
/// instance's own, bound to the event's fanout exchange and deleted when the instance goes. A change
/// that fails to apply is retried (a later re-read from Redis repairs what retries could not).
/// </summary>
internal sealed class DeploymentChangedConsumerDefinition : ConsumerDefinition<DeploymentChangedConsumer>
{
    public const string NamePrefix = "deployment-changed-";

    public DeploymentChangedConsumerDefinition()
    {
        Endpoint(e =>
        {
            e.Name = NamePrefix + Guid.NewGuid().ToString("N")[..12];
            e.Temporary = true;
        });
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<DeploymentChangedConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        endpointConfigurator.UseEventRetry(context);
}
