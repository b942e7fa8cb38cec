using MassTransit;

namespace Orbit.Routing;

/// <summary>
/// Asks for a re-read of the routing tables whenever the deployment-change queue becomes ready
/// again: the queue is temporary, so while the connection was down the broker deleted it, and the
/// changes published meanwhile reached no one here.
/// </summary>
internal sealed class BusReconnectObserver(RefreshSignal refresh) : IReceiveEndpointObserver
{
    public Task Ready(ReceiveEndpointReady ready)
    {
        if (ready.InputAddress.AbsolutePath.Contains(DeploymentChangedConsumerDefinition.NamePrefix, StringComparison.Ordinal))
        {
            refresh.Request("the bus connection is ready");
        }

        return Task.CompletedTask;
    }

    public Task Stopping(ReceiveEndpointStopping stopping) => Task.CompletedTask;

    public Task Completed(ReceiveEndpointCompleted completed) => Task.CompletedTask;

    public Task Faulted(ReceiveEndpointFaulted faulted) => Task.CompletedTask;
}
