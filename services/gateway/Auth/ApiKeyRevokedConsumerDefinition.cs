using MassTransit;
using Orbit.Hosting.Messaging;

namespace Orbit.Gateway.Auth;

/// <summary>Every gateway hears every revocation: a temporary queue of this instance's own, bound to the event's fanout exchange.</summary>
internal sealed class ApiKeyRevokedConsumerDefinition : ConsumerDefinition<ApiKeyRevokedConsumer>
{
    public ApiKeyRevokedConsumerDefinition()
    {
        Endpoint(e =>
        {
            e.Name = "api-key-revoked-" + Guid.NewGuid().ToString("N")[..12];
            e.Temporary = true;
        });
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ApiKeyRevokedConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        endpointConfigurator.UseEventRetry(context);
}
