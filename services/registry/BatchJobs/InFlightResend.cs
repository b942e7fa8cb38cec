namespace Orbit.Registry.BatchJobs;

/// <summary>
/// Asks the <see cref="BatchScheduler"/> to send every chunk in flight again at its next pass (at most
/// <see cref="BatchJobOptions.PollMilliseconds"/> away). Set at start and by <see cref="BrokerReconnectResend"/>; a
/// signal of its own because the bus, which calls that observer, is built before the scheduler that sends on it.
/// </summary>
internal sealed class InFlightResend
{
    private int _requested = 1;

    public void Request() => Volatile.Write(ref _requested, 1);

    /// <summary>True once per request.</summary>
    public bool Take() => Interlocked.Exchange(ref _requested, 0) == 1;
}
