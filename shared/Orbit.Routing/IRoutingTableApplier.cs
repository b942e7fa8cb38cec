using Orbit.Contracts.Models;

namespace Orbit.Routing;

/// <summary>
/// Makes a routing table take effect in a service. It records the table in <see cref="RoutingTables"/>
/// only once the table has taken effect (a worker: once its queues for it are connected), so a
/// table whose application failed is applied again by the next re-read.
/// </summary>
public interface IRoutingTableApplier
{
    Task ApplyAsync(DeploymentChanged table, CancellationToken cancellationToken);
}

/// <summary>For a service that only routes by the tables (the gateway): recording a table is taking effect.</summary>
internal sealed class RecordingApplier(RoutingTables tables) : IRoutingTableApplier
{
    public Task ApplyAsync(DeploymentChanged table, CancellationToken cancellationToken)
    {
        tables.TryApply(table);
        return Task.CompletedTask;
    }
}
