using MassTransit;
using Orbit.Contracts.Wire;

namespace Orbit.Registry.BatchJobs;

/// <summary>
/// Chunks and their answers travel as transient messages (a broker that restarts drops them), so every time the
/// registry's chunk-results queue becomes ready again after its connection was lost, the scheduler sends the chunks
/// still in flight again instead of waiting <see cref="BatchJobOptions.ResendAfterSeconds"/> for them. A chunk
/// answered twice keeps one part.
/// </summary>
internal sealed class BrokerReconnectResend(InFlightResend resend) : IReceiveEndpointObserver
{
    private int _readies;

    public Task Ready(ReceiveEndpointReady ready)
    {
        // The first ready is the start, where the scheduler resends whatever was in flight anyway.
        if (ready.InputAddress.AbsolutePath.EndsWith(BatchAddresses.ResultsQueue, StringComparison.Ordinal) && Interlocked.Increment(ref _readies) > 1)
        {
            resend.Request();
        }

        return Task.CompletedTask;
    }

    public Task Stopping(ReceiveEndpointStopping stopping) => Task.CompletedTask;

    public Task Completed(ReceiveEndpointCompleted completed) => Task.CompletedTask;

    public Task Faulted(ReceiveEndpointFaulted faulted) => Task.CompletedTask;
}
