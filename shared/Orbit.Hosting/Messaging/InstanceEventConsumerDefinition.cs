using MassTransit;

namespace Orbit.Hosting.Messaging;

/// <summary>
/// For an event every instance of a service must hear (a deployment change, a key revocation): the
/// consumer gets a temporary queue of this instance's own, <c>{prefix}{random id}</c>, bound to the
/// event's fanout exchange and deleted when the instance goes; failures are retried as events are.
/// </summary>
public abstract class InstanceEventConsumerDefinition<TConsumer> : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    protected InstanceEventConsumerDefinition(string namePrefix)
    {
        Endpoint(e =>
        {
            e.Name = namePrefix + Guid.NewGuid().ToString("N")[..12];
            e.Temporary = true;
        });
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<TConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        endpointConfigurator.UseEventRetry(context);
}
