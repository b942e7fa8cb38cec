using MassTransit;
using Orbit.Contracts.Workers;

namespace Orbit.Gateway.Fleet;

/// <summary>
/// A worker's heartbeat from the bus, applied at once: a worker raises one as soon as it has loaded a
/// newly deployed version, and this gateway routes to it within milliseconds instead of at its next
/// read of Redis (up to a second later).
/// </summary>
internal sealed class WorkerHeartbeatConsumer(WorkerFleet fleet) : IConsumer<WorkerHeartbeat>
{
    public Task Consume(ConsumeContext<WorkerHeartbeat> context)
    {
        fleet.Observe(context.Message);
        return Task.CompletedTask;
    }
}
