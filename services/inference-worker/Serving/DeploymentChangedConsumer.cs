using MassTransit;
using Orbit.Contracts.Models;

namespace Orbit.InferenceWorker.Serving;

/// <summary>
/// Receives every <see cref="DeploymentChanged"/> on a queue of this instance's own (temporary,
/// bound to the event's fanout exchange), so every worker hears every change.
/// </summary>
internal sealed class DeploymentChangedConsumer(ServingCoordinator coordinator) : IConsumer<DeploymentChanged>
{
    public Task Consume(ConsumeContext<DeploymentChanged> context) => coordinator.ApplyAsync(context.Message, context.CancellationToken);
}
