namespace Orbit.InferenceWorker.Batching;

/// <summary>Counters over every batcher of this worker, read by the heartbeat.</summary>
internal sealed class WorkerStatistics
{
    private long _batches;
    private long _requests;
    private long _busyTicks;

    public long BatchesRun => Interlocked.Read(ref _batches);

    public long RequestsBatched => Interlocked.Read(ref _requests);

    public TimeSpan Busy => TimeSpan.FromTicks(Interlocked.Read(ref _busyTicks));

    public double MeanBatchSize => BatchesRun == 0 ? 0 : (double)RequestsBatched / BatchesRun;

    public void BatchRun(int requests, TimeSpan compute)
    {
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _requests, requests);
        Interlocked.Add(ref _busyTicks, compute.Ticks);
    }
}
