using MassTransit;
using Orbit.Contracts.Models;

namespace Orbit.Gateway.Routing;

internal sealed class DeploymentChangedConsumer(RoutingTable routing) : IConsumer<DeploymentChanged>
{
    public Task Consume(ConsumeContext<DeploymentChanged> context)
    {
        routing.Apply(context.Message);
        return Task.CompletedTask;
    }
}
