using MassTransit;
using Orbit.Contracts.Models;

namespace Orbit.Routing;

/// <summary>Applies each <see cref="DeploymentChanged"/> that is newer than the table in effect.</summary>
internal sealed class DeploymentChangedConsumer(RoutingTables tables, IRoutingTableApplier applier) : IConsumer<DeploymentChanged>
{
    public Task Consume(ConsumeContext<DeploymentChanged> context) =>
        tables.IsNewer(context.Message) ? applier.ApplyAsync(context.Message, context.CancellationToken) : Task.CompletedTask;
}
