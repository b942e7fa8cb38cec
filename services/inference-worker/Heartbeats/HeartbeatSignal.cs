namespace Orbit.InferenceWorker.Heartbeats;

/// <summary>Asks for a heartbeat now rather than at the next interval: what the worker serves just changed.</summary>
internal sealed class HeartbeatSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Raise() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    public Task WaitAsync() => Volatile.Read(ref _next).Task;
}
